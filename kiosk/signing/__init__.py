"""The municipality's digital signature on the office's documents (issue 18).

- `certificate`: the signing certificate (a PKCS#12 file from an accredited provider) kept in
  the office folder's `signing/`, outside the database and its backups; its password is never
  stored: it unlocks the key in memory, per clerk session (`keyring`).
- `pades`: a PDF signed as PAdES (pyHanko), with the signer's name, reason and place, and an
  RFC 3161 timestamp when the timestamp server answers (none when the link is down: the
  signature is valid either way). The result carries the signed file's digest and id, what a
  signed QR statement will name.
"""
