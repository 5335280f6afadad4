// Who is asking. Anonymous requests carry no principal; a token may narrow the permissions its
// principal's bindings grant (it can only shrink them).
export interface Principal {
  id: string;
  /** jti of the bearer token, for audit. */
  tokenId?: string;
  /** Permission narrowing carried by the token; undefined = no narrowing. */
  permissions?: string[];
}
