/** Number formats of the bench's report. */
export const f2 = (n: number) => n.toFixed(2);
export const f3 = (n: number) => n.toFixed(3);
export const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
