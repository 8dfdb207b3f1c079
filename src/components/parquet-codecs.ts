import {decompress} from "fzstd";

/**
 * Codecs for hyparquet beyond the ones it has built in (uncompressed, snappy): zstd, which the pipeline
 * writes every snapshot with. fzstd is what hyparquet-compressors uses for zstd, without the other four
 * codecs' code and two more modules to fetch before the first chart.
 */
export const compressors = {
  ZSTD: (input: Uint8Array, outputLength: number): Uint8Array => decompress(input, new Uint8Array(outputLength))
};
