const number = new Intl.NumberFormat("en-GB");

export const formatCount = (value: number) => number.format(value);
export const formatMs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);
