/**
 * `edge-arena verify SOURCE`: checks an arena's open dataset with nothing but
 * its files. SOURCE is an arena's base URL (the newest dataset, or
 * `--dataset ID`, is downloaded through GET /api/v1/datasets) or a folder
 * holding a dataset's card.json, publication.json and the log files the card
 * lists (under the names it gives them). The chain is checked from the
 * genesis to the published head and every published board is recomputed
 * (src/votelog/verify.ts, the code the cron publishes with) and compared
 * exactly. Exit status: 0 verified, 1 a problem found (named by sequence
 * number where it has one), 2 the source could not be read.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describeProblem, verifyDataset, type ChainHasher, type SourcedRecord, type VerifiableCard, type VerifiablePublication } from "../src/votelog/verify";
import { parquetVoteRowGroups } from "../src/votelog/parquet";
import { InputError } from "./input-stream";
import { createProgress } from "./progress";

/** What a card says of a log file beyond what verify needs. */
type CardFile = VerifiableCard["files"][number] & { url?: string; parquet?: { name: string; url?: string } };
type Card = VerifiableCard & { files: CardFile[]; publication?: { url: string } };

export interface VerifyCommandOptions {
  dataset?: string;
  /** Download the Parquet copies instead of the JSONL (URL sources; a folder uses what it holds). */
  parquet?: boolean;
  out: (line: string) => void;
}

/** SHA-256 chain hashes with Node's crypto: synchronous, several times faster than Web Crypto per record. */
const nodeHasher: ChainHasher = (previous, text) => createHash("sha256").update(Buffer.from(previous, "hex")).update(text, "utf8").digest("hex");

function parseLine(text: string, where: string): SourcedRecord {
  try {
    return { record: JSON.parse(text) as unknown, where, text };
  } catch {
    // Reported as a malformed record at its place in the log.
    return { record: null, where };
  }
}

/** The records of one JSONL text, in order, blank lines skipped. */
function parseLines(body: string, name: string, firstLine = 1): SourcedRecord[] {
  const out: SourcedRecord[] = [];
  const lines = body.split("\n");
  for (let k = 0; k < lines.length; k++) {
    const text = lines[k]!.endsWith("\r") ? lines[k]!.slice(0, -1) : lines[k]!;
    if (text.trim() !== "") out.push(parseLine(text, `${name}:${firstLine + k}`));
  }
  return out;
}

/** Records of a JSONL text stream, a batch per chunk of whole lines. */
async function* lines(chunks: AsyncIterable<string>, name: string): AsyncGenerator<SourcedRecord[]> {
  let rest = "";
  let line = 1;
  for await (const chunk of chunks) {
    rest += chunk;
    const cut = rest.lastIndexOf("\n");
    if (cut < 0) continue;
    const whole = rest.slice(0, cut);
    rest = rest.slice(cut + 1);
    yield parseLines(whole, name, line);
    line += whole.split("\n").length;
  }
  if (rest.trim() !== "") yield parseLines(rest, name, line);
}

interface Source {
  card: Card;
  publication: VerifiablePublication;
  records: () => AsyncGenerator<SourcedRecord[]>;
  label: string;
}

/** "file: row N", formatted only if a message names it. */
class ParquetRow {
  constructor(
    private readonly name: string,
    private readonly row: number,
  ) {}

  toString(): string {
    return `${this.name}: row ${this.row}`;
  }
}

/** The records of a vote-log Parquet file, a row group at a time. */
async function* parquetRecords(bytes: Uint8Array, name: string): AsyncGenerator<SourcedRecord[]> {
  let row = 0;
  try {
    for await (const group of parquetVoteRowGroups(bytes)) {
      yield group.map((record) => ({ record, where: new ParquetRow(name, ++row) }));
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    // Unreadable from here on: reported as a malformed record where it stopped.
    yield [{ record: null, where: `${name}: row ${row + 1} (${(error as Error).message})` }];
  }
}

async function fromFolder(folder: string): Promise<Source> {
  const readJson = async <T>(name: string): Promise<T> => {
    const path = join(folder, name);
    if (!existsSync(path)) throw new InputError(`${path}: not found (a dataset folder holds card.json, publication.json and the log files the card lists)`);
    try {
      return JSON.parse(await readFile(path, "utf8")) as T;
    } catch (error) {
      throw new InputError(`${path}: not JSON (${(error as Error).message})`);
    }
  };
  const card = checkCard(await readJson<Card>("card.json"), join(folder, "card.json"));
  const publication = await readJson<VerifiablePublication>("publication.json");
  return {
    card,
    publication,
    label: folder,
    async *records() {
      for (const file of card.files) {
        const path = join(folder, file.name);
        const parquetPath = join(folder, file.parquet?.name ?? file.name.replace(/\.jsonl$/, ".parquet"));
        if (!existsSync(path) && existsSync(parquetPath)) {
          yield* parquetRecords(new Uint8Array(await readFile(parquetPath)), parquetPath);
          continue;
        }
        // A missing file is missing records: the chain check names the first seq after the gap.
        if (!existsSync(path)) continue;
        // Segments hold at most 10,000 records (≈ 4 MB): read whole, parsed in one pass.
        yield parseLines(await readFile(path, "utf8"), file.name);
      }
    },
  };
}

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InputError(`${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new InputError(`${url}: HTTP ${response.status}`);
  return response;
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetchOk(url);
  try {
    return (await response.json()) as T;
  } catch (error) {
    throw new InputError(`${url}: not JSON (${(error as Error).message})`);
  }
}

async function fromUrl(base: URL, datasetId: string | undefined, parquet: boolean): Promise<Source> {
  const at = (path: string) => new URL(path, base).href;
  const { datasets } = await fetchJson<{ datasets: { id: string; card: string; publication: string }[] }>(at("/api/v1/datasets"));
  const dataset = datasetId === undefined ? datasets[0] : datasets.find((d) => d.id === datasetId);
  if (!dataset) throw new InputError(datasetId === undefined ? `${base.origin}: the arena has published no dataset yet` : `${base.origin}: no dataset ${datasetId}`);
  const card = checkCard(await fetchJson<Card>(at(dataset.card)), at(dataset.card));
  const publication = await fetchJson<VerifiablePublication>(at(dataset.publication));
  return {
    card,
    publication,
    label: `${base.origin} dataset ${dataset.id}`,
    async *records() {
      for (const file of card.files) {
        if (parquet) {
          if (!file.parquet?.url) throw new InputError(`card: file ${file.name} has no Parquet copy`);
          yield* parquetRecords(new Uint8Array(await (await fetchOk(at(file.parquet.url))).arrayBuffer()), file.parquet.name);
          continue;
        }
        if (!file.url) throw new InputError(`card: file ${file.name} has no url`);
        const response = await fetchOk(at(file.url));
        const body = response.body!.pipeThrough(new TextDecoderStream());
        yield* lines(body as unknown as AsyncIterable<string>, file.name);
      }
    },
  };
}

function checkCard(card: Card, where: string): Card {
  const ok =
    typeof card === "object" &&
    card !== null &&
    typeof card.chainHead?.seq === "number" &&
    typeof card.chainHead?.hash === "string" &&
    Array.isArray(card.files) &&
    typeof card.parameters?.watermark === "number" &&
    Array.isArray(card.parameters?.flaggedSeqs) &&
    Array.isArray(card.parameters?.excludedModels) &&
    typeof card.parameters?.styleRowsExactMax === "number";
  if (!ok) throw new InputError(`${where}: not a dataset card (chainHead, files and parameters are required)`);
  return card;
}

/** Runs the command; resolves to the exit status. */
export async function verifyCommand(source: string, options: VerifyCommandOptions): Promise<number> {
  const isUrl = /^https?:\/\//i.test(source);
  const src = isUrl ? await fromUrl(new URL(source), options.dataset, options.parquet ?? false) : await fromFolder(source);
  const progress = createProgress("verify");
  const started = performance.now();
  const result = await verifyDataset(src.card, src.publication, src.records(), {
    hash: nodeHasher,
    onRecord: (n) => {
      if (n % 100_000 === 0) progress.update(`${n.toLocaleString("en-US")} records chained`);
    },
  });
  progress.done();
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!result.ok) {
    options.out(`FAILED ${src.label}: ${describeProblem(result.problem)}`);
    options.out(`(${result.records.toLocaleString("en-US")} records verified before it, ${seconds} s)`);
    return 1;
  }
  options.out(`verified ${src.label}`);
  options.out(`chain: ${result.records.toLocaleString("en-US")} records from the genesis to seq ${result.head.seq}, head ${result.head.hash}`);
  options.out(`boards: ${result.boards} recomputed from the records, identical to the publication (${seconds} s)`);
  return 0;
}
