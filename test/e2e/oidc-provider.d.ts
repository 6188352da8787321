// oidc-provider ships no types; the e2e harness uses a small part of it.
declare module "oidc-provider" {
  const Provider: any;
  export default Provider;
  export const errors: any;
}
