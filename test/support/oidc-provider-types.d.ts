// oidc-provider ships no types (they live in @types/oidc-provider, not installed): the test provider uses a small part.
declare module "oidc-provider" {
  const Provider: any;
  export default Provider;
}
