// Compressed sparse row matrices: the training texts as TF-IDF vectors.

/** Row r holds entries rowPtr[r] .. rowPtr[r+1]-1 of `columns`/`values`. */
export interface CsrMatrix {
  rows: number;
  columns: number;
  /** Length rows + 1, Int32 entry offsets. */
  rowPtr: Int32Array;
  /** Length nnz, Int32 column (feature) ids. */
  colIdx: Int32Array;
  /** Length nnz, Float32 feature values (TF-IDF, each row of unit L2 norm or empty). */
  values: Float32Array;
}

/** Appends rows one at a time, doubling its buffers as needed. */
export class CsrBuilder {
  private colIdx = new Int32Array(1 << 16);
  private values = new Float32Array(1 << 16);
  private rowPtr: number[] = [0];
  private nnz = 0;

  push(count: number, cols: ArrayLike<number>, vals: ArrayLike<number>): void {
    if (this.nnz + count > this.colIdx.length) {
      let size = this.colIdx.length * 2;
      while (size < this.nnz + count) size *= 2;
      const c = new Int32Array(size);
      c.set(this.colIdx.subarray(0, this.nnz));
      const v = new Float32Array(size);
      v.set(this.values.subarray(0, this.nnz));
      this.colIdx = c;
      this.values = v;
    }
    for (let k = 0; k < count; k++) {
      this.colIdx[this.nnz + k] = cols[k];
      this.values[this.nnz + k] = vals[k];
    }
    this.nnz += count;
    this.rowPtr.push(this.nnz);
  }

  build(columns: number): CsrMatrix {
    return {
      rows: this.rowPtr.length - 1,
      columns,
      rowPtr: Int32Array.from(this.rowPtr),
      colIdx: this.colIdx.slice(0, this.nnz),
      values: this.values.slice(0, this.nnz),
    };
  }
}
