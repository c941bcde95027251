// Puts a file into the local S3 (S3Proxy) with an AWS signature V2, which it accepts: the tests need one upload,
// not an SDK.
import { createHmac } from 'node:crypto';

export async function putObject(endpoints, key, body, contentType = 'text/csv') {
  const { endpoint, bucket, access_key_id: accessKey, secret_access_key: secret } = endpoints.s3;
  const date = new Date().toUTCString();
  const resource = `/${bucket}/${key}`;
  const signature = createHmac('sha1', secret).update(`PUT\n\n${contentType}\n${date}\n${resource}`).digest('base64');
  const r = await fetch(`${endpoint}${resource}`, {
    method: 'PUT',
    headers: { Date: date, 'Content-Type': contentType, Authorization: `AWS ${accessKey}:${signature}` },
    body,
  });
  if (!r.ok) throw new Error(`S3 PUT ${resource}: ${r.status} ${await r.text()}`);
  return `s3://${bucket}/${key}`;
}
