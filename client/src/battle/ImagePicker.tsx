/**
 * Images for a vision prompt: chosen from disk, uploaded at once (the server
 * checks them and strips their metadata), shown as thumbnails that can be
 * removed before sending.
 */
import { useState } from "preact/hooks";
import { MAX_IMAGES_PER_PROMPT, type UploadResponse } from "../../../src/wire";
import { describeError, errorFromResponse } from "../api/http";

export interface ImagePickerProps {
  images: UploadResponse[];
  onChange(images: UploadResponse[]): void;
  disabled: boolean;
}

async function uploadImage(file: File): Promise<UploadResponse> {
  const response = await fetch("/api/v1/uploads", { method: "POST", headers: { "content-type": file.type || "application/octet-stream" }, body: file });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as UploadResponse;
}

export function ImagePicker({ images, onChange, disabled }: ImagePickerProps) {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const add = async (files: FileList | null) => {
    if (!files) return;
    setProblem(undefined);
    setBusy(true);
    const added: UploadResponse[] = [];
    try {
      for (const file of Array.from(files).slice(0, MAX_IMAGES_PER_PROMPT - images.length)) added.push(await uploadImage(file));
    } catch (error) {
      setProblem(describeError(error));
    } finally {
      setBusy(false);
      onChange([...images, ...added]);
    }
  };

  return (
    <div class="image-picker">
      <label class={`ghost-button${disabled || images.length >= MAX_IMAGES_PER_PROMPT ? " ghost-button--disabled" : ""}`}>
        {busy ? "Uploading…" : "Attach images"}
        <input
          type="file"
          accept="image/png,image/jpeg,image/webp"
          multiple
          class="visually-hidden"
          disabled={disabled || busy || images.length >= MAX_IMAGES_PER_PROMPT}
          onChange={(event) => {
            void add(event.currentTarget.files);
            event.currentTarget.value = "";
          }}
        />
      </label>
      {images.map((image) => (
        <figure key={image.id} class="thumb">
          <img src={image.url} alt="Attached image" width={image.width} height={image.height} />
          <button type="button" class="thumb-remove" aria-label="Remove this image" onClick={() => onChange(images.filter((i) => i.id !== image.id))}>
            ×
          </button>
        </figure>
      ))}
      {problem && (
        <p class="request-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
