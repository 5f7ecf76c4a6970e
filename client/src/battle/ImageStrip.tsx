/** Images of a turn (a vision prompt's attachments, a text-to-image answer), each opening full size. */
import type { ImageRef } from "../../../src/wire";

export function ImageStrip({ images, alt }: { images: readonly ImageRef[]; alt: string }) {
  return (
    <div class="images">
      {images.map((image) => (
        <a key={image.url} href={image.url} target="_blank" rel="noopener">
          <img class="answer-image" src={image.url} alt={alt} width={image.width} height={image.height} />
        </a>
      ))}
    </div>
  );
}
