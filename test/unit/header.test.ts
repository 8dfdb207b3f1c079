import {describe, expect, it} from "vitest";
import {HeaderError, ONLINE_RETAIL_HEADER, ONLINE_RETAIL_II_HEADER, parseHeader, splitCsvLine} from "../../loaders/extract/header.js";

describe("parseHeader", () => {
  it("recognises the Online Retail header", () => {
    const header = parseHeader(ONLINE_RETAIL_HEADER);
    expect(header.variant).toBe("online-retail");
    expect(header.fieldIndex).toEqual({
      invoice_no: 0,
      stock_code: 1,
      description: 2,
      quantity: 3,
      invoice_date: 4,
      unit_price: 5,
      customer_id: 6,
      country: 7
    });
    expect(header.ignored).toEqual([]);
  });

  it("recognises the Online Retail II header and keeps its column names for messages", () => {
    const header = parseHeader(ONLINE_RETAIL_II_HEADER);
    expect(header.variant).toBe("online-retail-ii");
    expect(header.fieldName.unit_price).toBe("Price");
    expect(header.fieldName.customer_id).toBe("Customer ID");
    expect(header.fieldName.invoice_no).toBe("Invoice");
  });

  it("accepts any column order and letter case, a BOM, quotes, CRLF, and ignores unknown columns", () => {
    const header = parseHeader('\uFEFF"country",quantity,Notes,INVOICENO,stockcode,invoicedate,unitprice,customerid,description\r');
    expect(header.variant).toBe("custom");
    expect(header.fieldIndex.country).toBe(0);
    expect(header.fieldIndex.invoice_no).toBe(3);
    expect(header.ignored).toEqual(["Notes"]);
  });

  it("names every missing required column and shows what it found", () => {
    expect(() => parseHeader("InvoiceNo,StockCode,Description,Quantity,CustomerID,Country")).toThrow(
      new HeaderError(
        'missing required columns InvoiceDate, UnitPrice (or Price); found 6 columns: "InvoiceNo", "StockCode", "Description", "Quantity", "CustomerID", "Country". ' +
          `Expected the Online Retail header (${ONLINE_RETAIL_HEADER}) or Online Retail II (${ONLINE_RETAIL_II_HEADER})`
      )
    );
  });

  it("explains a file separated by semicolons or tabs", () => {
    expect(() => parseHeader(ONLINE_RETAIL_HEADER.replaceAll(",", ";"))).toThrow(
      `the header is separated by ';', not by commas; save the file as comma-separated CSV (header: ${ONLINE_RETAIL_HEADER})`
    );
    expect(() => parseHeader(ONLINE_RETAIL_HEADER.replaceAll(",", "\t"))).toThrow("the header is separated by tab, not by commas");
  });

  it("rejects binary data and repeated columns", () => {
    expect(() => parseHeader("PK\u0003\u0004binary")).toThrow("the first line contains binary data; this is not a CSV text file");
    expect(() => parseHeader(`${ONLINE_RETAIL_HEADER},Price`)).toThrow("the header names UnitPrice more than once");
  });
});

describe("splitCsvLine", () => {
  it("splits on commas outside quotes and unescapes doubled quotes", () => {
    expect(splitCsvLine('a,"b, c","say ""hi""",,e')).toEqual(["a", "b, c", 'say "hi"', "", "e"]);
  });
});
