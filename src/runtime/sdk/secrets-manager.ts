// Only what the secret reader uses, imported lazily (`import()` keeps the whole module it names).
export { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
