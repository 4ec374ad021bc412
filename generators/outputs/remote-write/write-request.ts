import { createRequire } from 'node:module';
import type * as Protobuf from 'protobufjs';
import type * as Snappy from 'snappy';

/** One series and its samples, labels including `__name__`. */
export interface TimeSeries {
  labels: { name: string; value: string }[];
  samples: { value: number; timestamp: number }[];
}

/**
 * The remote write 1.0 messages of Prometheus' prompb/types.proto and remote.proto (field numbers as
 * there; metadata and the native histograms of later versions are left out, which 1.0 receivers allow).
 */
function writeRequestType(): Protobuf.Type {
  const protobuf = require('protobufjs') as typeof Protobuf;
  const root = protobuf.Root.fromJSON({
    nested: {
      prometheus: {
        nested: {
          WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
          TimeSeries: {
            fields: {
              labels: { rule: 'repeated', type: 'Label', id: 1 },
              samples: { rule: 'repeated', type: 'Sample', id: 2 },
            },
          },
          Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
          Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        },
      },
    },
  });
  return root.lookupType('prometheus.WriteRequest');
}

// protobufjs and snappy (~50 ms of CPU to load) only once remote write is used; both are CommonJS, so a
// synchronous require keeps encoding synchronous.
const require = createRequire(import.meta.url);
let codec: { WriteRequest: Protobuf.Type; snappy: typeof Snappy } | undefined;
const loadCodec = () =>
  (codec ??= { WriteRequest: writeRequestType(), snappy: require('snappy') as typeof Snappy });

export const REMOTE_WRITE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};

/** A WriteRequest as it goes on the wire: protobuf, snappy block-compressed. */
export function encodeWriteRequest(timeseries: readonly TimeSeries[]): Buffer {
  const { WriteRequest, snappy } = loadCodec();
  const bytes = WriteRequest.encode({ timeseries }).finish();
  return snappy.compressSync(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** The inverse of encodeWriteRequest (for tests and fake receivers). */
export function decodeWriteRequest(body: Buffer): TimeSeries[] {
  const { WriteRequest, snappy } = loadCodec();
  const message = WriteRequest.decode(snappy.uncompressSync(body) as Buffer);
  const object = WriteRequest.toObject(message, { longs: Number, defaults: true }) as {
    timeseries: TimeSeries[];
  };
  return object.timeseries;
}
