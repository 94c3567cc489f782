// Only what the S3 roster uses, imported lazily (`import()` keeps the whole module it names).
export { GetObjectCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
