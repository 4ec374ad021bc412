import { Readable } from 'node:stream';
import { pack } from 'tar-fs';

/**
 * A directory as a tar stream whose entries sit under `prefix` and belong to `owner`, so that a container
 * running as that user can write where they land (Docker keeps the archive's owners when it extracts).
 */
export function directoryArchive(dir: string, prefix: string, owner: { uid: number; gid: number }): Readable {
  const archive = pack(dir, {
    map: (header) => ({
      ...header,
      name: header.name === '.' ? prefix : `${prefix}/${header.name}`,
      uid: owner.uid,
      gid: owner.gid,
    }),
  });
  // tar-fs streams are streamx streams: async iterable, which makes a Node stream.
  return Readable.from(archive as unknown as AsyncIterable<Buffer>, { objectMode: false });
}
