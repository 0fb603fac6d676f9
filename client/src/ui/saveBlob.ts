/** Hands a blob to the browser as a file download (the minutes' exports, the comments' CSV). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; the URL may go once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
