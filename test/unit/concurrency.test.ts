import {describe, expect, it} from "vitest";
import {BYTES_PER_ROW, stagesAtOnce} from "../../loaders/run/concurrency.js";
import {sizeInBytes} from "../../loaders/size.js";

describe("sizeInBytes", () => {
  it("reads DuckDB's sizes: decimal units and binary ones", () => {
    expect(sizeInBytes("2GB")).toBe(2e9);
    expect(sizeInBytes("2GiB")).toBe(2 * 1024 ** 3);
    expect(sizeInBytes("512 MB")).toBe(512e6);
    expect(sizeInBytes("1.5kb")).toBe(1500);
    expect(sizeInBytes("100B")).toBe(100);
  });

  it("refuses what is not a size, showing it", () => {
    expect(() => sizeInBytes("lots")).toThrow('invalid memory size; expected a size such as "2GB": "lots"');
  });
});

describe("stagesAtOnce", () => {
  it("takes a number as given", () => {
    expect(stagesAtOnce(1, {memoryLimit: "2GB", rows: 1})).toBe(1);
    expect(stagesAtOnce(3, {memoryLimit: "1MB", rows: 1e9})).toBe(3);
  });

  it("auto: no limit before any table is known", () => {
    expect(stagesAtOnce("auto", {memoryLimit: "2GB", rows: 0})).toBe(Infinity);
  });

  it(`auto: the memory limit over ${BYTES_PER_ROW} bytes per row of the largest table, at least one`, () => {
    // The shipped year, 10× and 100× of it (raw lines).
    expect(stagesAtOnce("auto", {memoryLimit: "2GB", rows: 541_909})).toBe(73); // 2e9 / 27,095,450
    expect(stagesAtOnce("auto", {memoryLimit: "2GB", rows: 5_419_090})).toBe(7);
    expect(stagesAtOnce("auto", {memoryLimit: "2GB", rows: 54_190_900})).toBe(1);
    expect(stagesAtOnce("auto", {memoryLimit: "4GB", rows: 54_190_900})).toBe(1);
    expect(stagesAtOnce("auto", {memoryLimit: "12GB", rows: 54_190_900})).toBe(4);
    expect(stagesAtOnce("auto", {memoryLimit: "1MB", rows: 54_190_900})).toBe(1);
  });
});
