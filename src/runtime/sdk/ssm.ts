// Only what the secret reader uses, imported lazily (`import()` keeps the whole module it names).
export { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
