import {describe, expect, it} from "vitest";
import {escapeCsvCell, toCsv} from "../../src/components/csv.js";

describe("CSV escaping", () => {
  it("neutralises text a spreadsheet would run as a formula", () => {
    expect(escapeCsvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(escapeCsvCell("+1+1")).toBe("'+1+1");
    expect(escapeCsvCell("-2+3")).toBe("'-2+3");
    expect(escapeCsvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(escapeCsvCell("\tcmd")).toBe("'\tcmd");
    expect(escapeCsvCell("\r=1")).toBe('"\'\r=1"');
  });

  it("leaves ordinary text, and formula characters that are not first, alone", () => {
    expect(escapeCsvCell("WHITE HANGING HEART T-LIGHT HOLDER")).toBe("WHITE HANGING HEART T-LIGHT HOLDER");
    expect(escapeCsvCell("a=b")).toBe("a=b");
    expect(escapeCsvCell("")).toBe("");
  });

  it("writes numbers as numbers: a negative number is data, not a formula", () => {
    expect(escapeCsvCell(-5)).toBe("-5");
    expect(escapeCsvCell(2.55)).toBe("2.55");
    expect(escapeCsvCell(0)).toBe("0");
    expect(escapeCsvCell(Number.NaN)).toBe("");
    expect(escapeCsvCell(12345678901234567890n)).toBe("12345678901234567890");
    expect(escapeCsvCell(true)).toBe("true");
  });

  it("quotes fields with commas, quotes, line breaks or edge spaces (RFC 4180)", () => {
    expect(escapeCsvCell("SET 2, RED")).toBe(`"SET 2, RED"`);
    expect(escapeCsvCell(`12" RULER`)).toBe(`"12"" RULER"`);
    expect(escapeCsvCell("two\nlines")).toBe(`"two\nlines"`);
    expect(escapeCsvCell(" padded ")).toBe(`" padded "`);
  });

  it("writes empty cells for null and undefined", () => {
    expect(escapeCsvCell(null)).toBe("");
    expect(escapeCsvCell(undefined)).toBe("");
  });

  it("writes wall-clock timestamps from the UTC fields, and dates without a time", () => {
    expect(escapeCsvCell(new Date(Date.UTC(2010, 11, 1, 8, 26)))).toBe("2010-12-01 08:26:00");
    expect(escapeCsvCell(new Date(Date.UTC(2011, 11, 9)))).toBe("2011-12-09");
  });

  it("builds a document with a header and CRLF line ends", () => {
    expect(
      toCsv(
        ["code", "description", "qty"],
        [
          ["85123A", "=cmd|' /C calc'!A0", 6],
          ["POST", null, -1]
        ]
      )
    ).toBe(`code,description,qty\r\n85123A,'=cmd|' /C calc'!A0,6\r\nPOST,,-1\r\n`);
  });
});
