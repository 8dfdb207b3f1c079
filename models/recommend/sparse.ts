/**
 * A sparse matrix in compressed sparse row form on typed arrays: row r's entries are
 * `columns[offsets[r] … offsets[r + 1])` with `values` alongside, columns ascending within a row.
 */
export interface Csr {
  rows: number;
  cols: number;
  offsets: Int32Array;
  columns: Int32Array;
  values: Float64Array;
}

/**
 * Builds a CSR matrix from coordinate triples, summing duplicates.
 * @param rowOf row index of each entry (0 ≤ row < rows)
 * @param colOf column index of each entry (0 ≤ col < cols)
 * @param valueOf value of each entry; default 1 for each
 */
export function csrFromTriples(rows: number, cols: number, rowOf: ArrayLike<number>, colOf: ArrayLike<number>, valueOf?: ArrayLike<number>): Csr {
  const n = rowOf.length;
  if (colOf.length !== n || (valueOf && valueOf.length !== n)) throw new Error(`triples differ in length: ${n}, ${colOf.length}, ${valueOf?.length}`);
  const counts = new Int32Array(rows + 1);
  for (let k = 0; k < n; k++) {
    const row = rowOf[k];
    const col = colOf[k];
    if (!(row >= 0 && row < rows && Number.isInteger(row))) throw new Error(`invalid row index; expected 0 to ${rows - 1}: ${row}`);
    if (!(col >= 0 && col < cols && Number.isInteger(col))) throw new Error(`invalid column index; expected 0 to ${cols - 1}: ${col}`);
    counts[row + 1]++;
  }
  for (let r = 0; r < rows; r++) counts[r + 1] += counts[r];
  const cursor = counts.slice(0, rows);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[cursor[rowOf[k]]++] = k;
  // Sort each row by column, then merge duplicates.
  const offsets = new Int32Array(rows + 1);
  const columns = new Int32Array(n);
  const values = new Float64Array(n);
  let out = 0;
  for (let r = 0; r < rows; r++) {
    const slice = Array.from(order.subarray(counts[r], counts[r + 1])).sort((a, b) => colOf[a] - colOf[b] || a - b);
    for (const k of slice) {
      const value = valueOf ? valueOf[k] : 1;
      if (out > offsets[r] && columns[out - 1] === colOf[k]) values[out - 1] += value;
      else {
        columns[out] = colOf[k];
        values[out] = value;
        out++;
      }
    }
    offsets[r + 1] = out;
  }
  return {rows, cols, offsets, columns: columns.slice(0, out), values: values.slice(0, out)};
}

/** The transpose (columns become rows). */
export function transpose(matrix: Csr): Csr {
  const {rows, cols, offsets, columns, values} = matrix;
  const counts = new Int32Array(cols + 1);
  for (let k = 0; k < columns.length; k++) counts[columns[k] + 1]++;
  for (let c = 0; c < cols; c++) counts[c + 1] += counts[c];
  const cursor = counts.slice(0, cols);
  const outColumns = new Int32Array(columns.length);
  const outValues = new Float64Array(columns.length);
  for (let r = 0; r < rows; r++) {
    for (let k = offsets[r]; k < offsets[r + 1]; k++) {
      const at = cursor[columns[k]]++;
      outColumns[at] = r;
      outValues[at] = values[k];
    }
  }
  return {rows: cols, cols: rows, offsets: counts, columns: outColumns, values: outValues};
}
