/**
 * Downloads the newest open dataset through the public API, as a sceptic
 * would, and verifies it with the CLI's code (src/votelog/verify.ts).
 */
import { expect } from "vitest";
import type { ChainedRecord } from "../../src/votelog/chain";
import { verifyDataset, type SourcedRecord, type VerifiableCard, type VerifiablePublication, type VerifyResult } from "../../src/votelog/verify";
import type { DatasetCard } from "../../worker/votelog/dataset";
import { api } from "./helpers";

export interface DownloadedDataset {
  card: DatasetCard;
  publication: VerifiablePublication & { index: unknown };
  /** Every record of the card's files, in order, with the file and line it came from. */
  records: SourcedRecord[];
}

async function json<T>(url: string): Promise<T> {
  const response = await api(url);
  expect(response.status, url).toBe(200);
  return (await response.json()) as T;
}

export async function latestDataset(): Promise<DownloadedDataset> {
  const { datasets } = await json<{ datasets: { id: string; card: string; publication: string }[] }>("/api/v1/datasets");
  expect(datasets.length).toBeGreaterThan(0);
  const card = await json<DatasetCard>(datasets[0]!.card);
  const publication = await json<DownloadedDataset["publication"]>(card.publication.url);
  const records: SourcedRecord[] = [];
  for (const file of card.files) {
    const lines = (await (await api(file.url)).text()).trimEnd().split("\n");
    lines.forEach((line, k) => records.push({ record: JSON.parse(line) as ChainedRecord, where: `${file.name}:${k + 1}` }));
  }
  return { card, publication, records };
}

export function verify(dataset: DownloadedDataset, records = dataset.records): Promise<VerifyResult> {
  return verifyDataset(dataset.card as unknown as VerifiableCard, dataset.publication, records);
}

/** The newest dataset verifies and reproduces every published board. */
export async function expectLatestDatasetVerifies(): Promise<DownloadedDataset> {
  const dataset = await latestDataset();
  const result = await verify(dataset);
  expect(result).toMatchObject({ ok: true, boards: dataset.publication.boards.length });
  return dataset;
}
