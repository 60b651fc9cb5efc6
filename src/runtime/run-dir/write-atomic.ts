/** Small files written whole or not at all: temp name, fsync, rename. */
import { promises as fs } from 'node:fs';

/** Writes `data` to `file` via `<file>.tmp` + fsync + rename. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
}
