import { open, type FileHandle } from 'node:fs/promises';

/** Bytes per read unless the caller asks for smaller reads. */
export const FILE_STREAM_CHUNK_BYTES = 1 << 20;

export interface FileStreamOptions {
  /** Bytes per read (default FILE_STREAM_CHUNK_BYTES). */
  chunkBytes?: number;
  /** Told the bytes read so far after each read (a progress line). */
  onRead?: (bytesSoFar: number) => void;
}

/**
 * A file as a web stream (a request or response body) that reads a chunk per pull. Readable.toWeb
 * over createReadStream moves 64 KiB chunks through events and a queue: about 0.12 s of CPU for
 * 38.6 MiB. The file is opened at the first pull and closed at its end, on a failed read and on
 * cancel; a file that cannot be opened fails the stream with the open's error.
 */
export function fileReadableStream(path: string, opts: FileStreamOptions = {}): ReadableStream<Uint8Array> {
  const chunkBytes = opts.chunkBytes ?? FILE_STREAM_CHUNK_BYTES;
  let file: FileHandle | undefined;
  let read = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      file ??= await open(path, 'r');
      const chunk = Buffer.allocUnsafe(chunkBytes);
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.read(chunk, 0, chunk.length, null));
      } catch (err) {
        await file.close();
        throw err;
      }
      if (bytesRead === 0) {
        await file.close();
        controller.close();
        return;
      }
      read += bytesRead;
      opts.onRead?.(read);
      controller.enqueue(chunk.subarray(0, bytesRead));
    },
    async cancel() {
      await file?.close();
    },
  });
}
