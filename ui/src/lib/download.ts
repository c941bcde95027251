/** Saves text as a file through the browser's download. */
export function downloadText(text: string, fileName: string, type = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  URL.revokeObjectURL(url);
}

export function downloadJson(value: unknown, fileName: string): void {
  downloadText(JSON.stringify(value, null, 2) + '\n', fileName, 'application/json');
}
