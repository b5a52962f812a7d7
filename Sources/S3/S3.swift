/// S3-compatible storage: SigV4 requests, buckets from the spec, and the S3 state backend.
public enum S3Storage {}
