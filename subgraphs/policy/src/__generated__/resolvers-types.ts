import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { PrincipalRow, RoleRow, TokenRow } from '../store/policy-store';
import { AuditRecord, SubgraphContext } from '@talos/kit';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Literal object: {type: "<scope type>", <attribute>: "<template>", ...}. */
  AuthzScope: { input: unknown; output: unknown; }
  /** RFC 3339 UTC timestamp with milliseconds, e.g. 2026-01-15T10:00:00.000Z. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON (audit details). */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type AuditChainVerification = {
  __typename?: 'AuditChainVerification';
  chain: Scalars['String']['output'];
  checked: Scalars['Int']['output'];
  firstInvalidSeq?: Maybe<Scalars['Int']['output']>;
  headHash: Scalars['String']['output'];
  reason?: Maybe<Scalars['String']['output']>;
  valid: Scalars['Boolean']['output'];
};

export type AuditEvent = {
  __typename?: 'AuditEvent';
  action: Scalars['String']['output'];
  chain: Scalars['String']['output'];
  details: Scalars['JSON']['output'];
  eventHash: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  prevHash: Scalars['String']['output'];
  principalId: Scalars['ID']['output'];
  requestId: Scalars['String']['output'];
  resourceId: Scalars['String']['output'];
  resourceType: Scalars['String']['output'];
  schemaId: Scalars['String']['output'];
  schemaVersion: Scalars['String']['output'];
  seq: Scalars['Int']['output'];
  status: Scalars['String']['output'];
  timestamp: Scalars['DateTime']['output'];
};

export type AuthzDecision = {
  __typename?: 'AuthzDecision';
  allowed: Scalars['Boolean']['output'];
  effectiveBindingId?: Maybe<Scalars['ID']['output']>;
  effectiveRoleId?: Maybe<Scalars['ID']['output']>;
  matchedBindingIds: Array<Scalars['ID']['output']>;
  matchedRoleIds: Array<Scalars['ID']['output']>;
  permission: Scalars['String']['output'];
  principalId: Scalars['ID']['output'];
  reasonCode: AuthzReason;
  requestScope: Scope;
};

export type AuthzReason =
  | 'RBAC_BINDING_NOT_FOUND'
  | 'RBAC_PERMISSION_ALLOWED'
  | 'RBAC_PERMISSION_DENIED'
  | 'RBAC_SCOPE_MISMATCH';

export type Binding = {
  __typename?: 'Binding';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  principalId: Scalars['ID']['output'];
  role: Role;
  scope: Scope;
};

export type BindingDocument = {
  __typename?: 'BindingDocument';
  bindings: Array<Binding>;
  principalId: Scalars['ID']['output'];
};

export type BindingInput = {
  roleId: Scalars['ID']['input'];
  /** Defaults to the global scope. */
  scope?: InputMaybe<ScopeInput>;
};

export type DeletedRole = {
  __typename?: 'DeletedRole';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type IssueTokenInput = {
  /** Narrow the token to these permissions (each must be granted by the principal's bindings). */
  permissions?: InputMaybe<Array<Scalars['String']['input']>>;
  principalId: Scalars['ID']['input'];
  /** 60..86400 seconds. */
  ttlSeconds?: Scalars['Int']['input'];
};

export type IssuedToken = {
  __typename?: 'IssuedToken';
  expiresAt: Scalars['DateTime']['output'];
  expiresIn: Scalars['Int']['output'];
  /** The narrowing carried by the token; null = everything the bindings grant. */
  permissions?: Maybe<Array<Scalars['String']['output']>>;
  principalId: Scalars['ID']['output'];
  token: Scalars['String']['output'];
  tokenId: Scalars['ID']['output'];
  tokenType: Scalars['String']['output'];
};

/** Non-entity types below are reachable only through the guarded fields that return them. */
export type Me = {
  __typename?: 'Me';
  bindings: Array<Binding>;
  /** Permissions granted by at least one binding (any scope), after token narrowing. */
  effectivePermissions: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  principal?: Maybe<Principal>;
  /** The token's narrowing, when it has one. */
  tokenPermissions?: Maybe<Array<Scalars['String']['output']>>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Delete a role; RBAC_ROLE_IN_USE while any binding references it. */
  deleteRole: DeletedRole;
  /** Mint a bearer token (EdDSA JWT). Permissions can only narrow what the principal's bindings grant. */
  issueToken: IssuedToken;
  /**
   * Revoke a token issued through issueToken: every gateway refuses it from the next request on (AUTH_REVOKED) and
   * closes its WebSockets. Your own tokens always; others' need policy:tokens:revoke.
   */
  revokeToken: TokenRecord;
  /** Replace a principal's whole binding document. */
  setBindings: BindingDocument;
  /** Create or update a principal (a user or a service account). */
  upsertPrincipal: Principal;
  /** Create (no id) or update a role. Built-in roles cannot be changed. */
  upsertRole: Role;
};


export type MutationDeleteRoleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationIssueTokenArgs = {
  input: IssueTokenInput;
};


export type MutationRevokeTokenArgs = {
  tokenId: Scalars['ID']['input'];
};


export type MutationSetBindingsArgs = {
  bindings: Array<BindingInput>;
  principalId: Scalars['ID']['input'];
};


export type MutationUpsertPrincipalArgs = {
  input: PrincipalInput;
};


export type MutationUpsertRoleArgs = {
  input: RoleInput;
};

/** A user or service account. Readable by itself and by holders of policy:principals:read. */
export type Principal = {
  __typename?: 'Principal';
  bindings: Array<Binding>;
  createdAt: Scalars['DateTime']['output'];
  displayName?: Maybe<Scalars['String']['output']>;
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Roles bound to this principal in any scope. */
  roles: Array<Role>;
  type: PrincipalType;
  updatedAt: Scalars['DateTime']['output'];
};

export type PrincipalInput = {
  displayName?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  type?: PrincipalType;
};

export type PrincipalType =
  | 'service_account'
  | 'user';

export type Query = {
  __typename?: 'Query';
  /** Audit events of one chain (one chain per subgraph), oldest first. */
  auditEvents: Array<AuditEvent>;
  /** The full RBAC decision for a principal, permission and scope (administrators only). */
  authorize: AuthzDecision;
  /** A principal's binding document (yourself always; others need policy:bindings:read). */
  bindings: BindingDocument;
  /** Tokens issued to a principal through issueToken, newest first (yourself always). */
  issuedTokens: Array<TokenRecord>;
  /** The caller: principal, effective permissions and bindings. */
  me: Me;
  /** A principal by id (yourself always; others need policy:principals:read). */
  principal?: Maybe<Principal>;
  principals: Array<Principal>;
  role?: Maybe<Role>;
  roles: Array<Role>;
  /** Recomputes every hash and link of an audit chain. */
  verifyAuditChain: AuditChainVerification;
};


export type QueryAuditEventsArgs = {
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  chain?: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryAuthorizeArgs = {
  permission: Scalars['String']['input'];
  principalId: Scalars['ID']['input'];
  scope?: InputMaybe<ScopeInput>;
};


export type QueryBindingsArgs = {
  principalId: Scalars['ID']['input'];
};


export type QueryIssuedTokensArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  principalId: Scalars['ID']['input'];
};


export type QueryPrincipalArgs = {
  id: Scalars['ID']['input'];
};


export type QueryPrincipalsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryRoleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryVerifyAuditChainArgs = {
  chain?: Scalars['String']['input'];
};

export type Role = {
  __typename?: 'Role';
  builtIn: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  permissions: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
};

export type RoleInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  /** Omit to create a role. */
  id?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  /** ns:action[:sub]; ns.action is accepted and normalised; ns:* and *:* are wildcards. */
  permissions: Array<Scalars['String']['input']>;
};

export type Scope = {
  __typename?: 'Scope';
  attributes: Array<ScopeAttribute>;
  type: ScopeType;
};

export type ScopeAttribute = {
  __typename?: 'ScopeAttribute';
  key: Scalars['String']['output'];
  value: Scalars['String']['output'];
};

export type ScopeAttributeInput = {
  key: Scalars['String']['input'];
  value: Scalars['String']['input'];
};

export type ScopeInput = {
  attributes?: InputMaybe<Array<ScopeAttributeInput>>;
  type: ScopeType;
};

export type ScopeType =
  | 'global'
  | 'group'
  | 'path'
  | 'principal'
  | 'repo'
  | 'secret'
  | 'session'
  | 'team'
  | 'trace';

export type Subscription = {
  __typename?: 'Subscription';
  /** New audit events as they are committed (all chains, or one). */
  auditEvents: AuditEvent;
};


export type SubscriptionAuditEventsArgs = {
  chain?: InputMaybe<Scalars['String']['input']>;
};

export type TokenRecord = {
  __typename?: 'TokenRecord';
  expiresAt: Scalars['DateTime']['output'];
  issuedAt: Scalars['DateTime']['output'];
  issuedBy: Scalars['ID']['output'];
  /** The narrowing carried by the token; null = everything the bindings grant. */
  permissions?: Maybe<Array<Scalars['String']['output']>>;
  principalId: Scalars['ID']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  tokenId: Scalars['ID']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Principal: Principal;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Principal:
    ( { __typename: 'Principal' }
    & GraphQLRecursivePick<FederationTypes['Principal'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AuditChainVerification: ResolverTypeWrapper<AuditChainVerification>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  AuditEvent: ResolverTypeWrapper<AuditRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  AuthzDecision: ResolverTypeWrapper<AuthzDecision>;
  AuthzReason: AuthzReason;
  AuthzScope: ResolverTypeWrapper<Scalars['AuthzScope']['output']>;
  Binding: ResolverTypeWrapper<Omit<Binding, 'role'> & { role: ResolversTypes['Role'] }>;
  BindingDocument: ResolverTypeWrapper<Omit<BindingDocument, 'bindings'> & { bindings: Array<ResolversTypes['Binding']> }>;
  BindingInput: BindingInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeletedRole: ResolverTypeWrapper<DeletedRole>;
  IssueTokenInput: IssueTokenInput;
  IssuedToken: ResolverTypeWrapper<IssuedToken>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Me: ResolverTypeWrapper<Omit<Me, 'bindings' | 'principal'> & { bindings: Array<ResolversTypes['Binding']>, principal?: Maybe<ResolversTypes['Principal']> }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Principal: ResolverTypeWrapper<PrincipalRow>;
  PrincipalInput: PrincipalInput;
  PrincipalType: null;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Role: ResolverTypeWrapper<RoleRow>;
  RoleInput: RoleInput;
  Scope: ResolverTypeWrapper<Scope>;
  ScopeAttribute: ResolverTypeWrapper<ScopeAttribute>;
  ScopeAttributeInput: ScopeAttributeInput;
  ScopeInput: ScopeInput;
  ScopeType: null;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TokenRecord: ResolverTypeWrapper<TokenRow>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AuditChainVerification: AuditChainVerification;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  AuditEvent: AuditRecord;
  ID: Scalars['ID']['output'];
  AuthzDecision: AuthzDecision;
  AuthzScope: Scalars['AuthzScope']['output'];
  Binding: Omit<Binding, 'role'> & { role: ResolversParentTypes['Role'] };
  BindingDocument: Omit<BindingDocument, 'bindings'> & { bindings: Array<ResolversParentTypes['Binding']> };
  BindingInput: BindingInput;
  DateTime: Scalars['DateTime']['output'];
  DeletedRole: DeletedRole;
  IssueTokenInput: IssueTokenInput;
  IssuedToken: IssuedToken;
  JSON: Scalars['JSON']['output'];
  Me: Omit<Me, 'bindings' | 'principal'> & { bindings: Array<ResolversParentTypes['Binding']>, principal?: Maybe<ResolversParentTypes['Principal']> };
  Mutation: Record<PropertyKey, never>;
  Principal: PrincipalRow;
  PrincipalInput: PrincipalInput;
  Query: Record<PropertyKey, never>;
  Role: RoleRow;
  RoleInput: RoleInput;
  Scope: Scope;
  ScopeAttribute: ScopeAttribute;
  ScopeAttributeInput: ScopeAttributeInput;
  ScopeInput: ScopeInput;
  Subscription: Record<PropertyKey, never>;
  TokenRecord: TokenRow;
  String: Scalars['String']['output'];
}>;

export type AuthenticatedDirectiveArgs = { };

export type AuthenticatedDirectiveResolver<Result, Parent, ContextType = SubgraphContext, Args = AuthenticatedDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AuthzDirectiveArgs = {
  allowSelf?: Maybe<Scalars['String']['input']>;
  permission: Scalars['String']['input'];
  scope?: Maybe<Scalars['AuthzScope']['input']>;
};

export type AuthzDirectiveResolver<Result, Parent, ContextType = SubgraphContext, Args = AuthzDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type PublicDirectiveArgs = { };

export type PublicDirectiveResolver<Result, Parent, ContextType = SubgraphContext, Args = PublicDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export type AuditChainVerificationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['AuditChainVerification'] = ResolversParentTypes['AuditChainVerification']> = ResolversObject<{
  chain?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  checked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  firstInvalidSeq?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  headHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  valid?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type AuditEventResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['AuditEvent'] = ResolversParentTypes['AuditEvent']> = ResolversObject<{
  action?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  chain?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  details?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  eventHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  prevHash?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  requestId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resourceId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  resourceType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  schemaId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  schemaVersion?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type AuthzDecisionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['AuthzDecision'] = ResolversParentTypes['AuthzDecision']> = ResolversObject<{
  allowed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  effectiveBindingId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  effectiveRoleId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  matchedBindingIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  matchedRoleIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  permission?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reasonCode?: Resolver<ResolversTypes['AuthzReason'], ParentType, ContextType>;
  requestScope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
}>;

export interface AuthzScopeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['AuthzScope'], any> {
  name: 'AuthzScope';
}

export type BindingResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Binding'] = ResolversParentTypes['Binding']> = ResolversObject<{
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  scope?: Resolver<ResolversTypes['Scope'], ParentType, ContextType>;
}>;

export type BindingDocumentResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['BindingDocument'] = ResolversParentTypes['BindingDocument']> = ResolversObject<{
  bindings?: Resolver<Array<ResolversTypes['Binding']>, ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeletedRoleResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['DeletedRole'] = ResolversParentTypes['DeletedRole']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type IssuedTokenResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['IssuedToken'] = ResolversParentTypes['IssuedToken']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  expiresIn?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  permissions?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokenId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tokenType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MeResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Me'] = ResolversParentTypes['Me']> = ResolversObject<{
  bindings?: Resolver<Array<ResolversTypes['Binding']>, ParentType, ContextType>;
  effectivePermissions?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType>;
  tokenPermissions?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  deleteRole?: Resolver<ResolversTypes['DeletedRole'], ParentType, ContextType, RequireFields<MutationDeleteRoleArgs, 'id'>>;
  issueToken?: Resolver<ResolversTypes['IssuedToken'], ParentType, ContextType, RequireFields<MutationIssueTokenArgs, 'input'>>;
  revokeToken?: Resolver<ResolversTypes['TokenRecord'], ParentType, ContextType, RequireFields<MutationRevokeTokenArgs, 'tokenId'>>;
  setBindings?: Resolver<ResolversTypes['BindingDocument'], ParentType, ContextType, RequireFields<MutationSetBindingsArgs, 'bindings' | 'principalId'>>;
  upsertPrincipal?: Resolver<ResolversTypes['Principal'], ParentType, ContextType, RequireFields<MutationUpsertPrincipalArgs, 'input'>>;
  upsertRole?: Resolver<ResolversTypes['Role'], ParentType, ContextType, RequireFields<MutationUpsertRoleArgs, 'input'>>;
}>;

export type PrincipalResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Principal'] = ResolversParentTypes['Principal'], FederationReferenceType extends FederationReferenceTypes['Principal'] = FederationReferenceTypes['Principal']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Principal']> | FederationReferenceType, FederationReferenceType, ContextType>;
  bindings?: Resolver<Array<ResolversTypes['Binding']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  displayName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  roles?: Resolver<Array<ResolversTypes['Role']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['PrincipalType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type PrincipalTypeResolvers = { SERVICE_ACCOUNT: 'service_account', USER: 'user' };

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  auditEvents?: Resolver<Array<ResolversTypes['AuditEvent']>, ParentType, ContextType, RequireFields<QueryAuditEventsArgs, 'chain' | 'first'>>;
  authorize?: Resolver<ResolversTypes['AuthzDecision'], ParentType, ContextType, RequireFields<QueryAuthorizeArgs, 'permission' | 'principalId'>>;
  bindings?: Resolver<ResolversTypes['BindingDocument'], ParentType, ContextType, RequireFields<QueryBindingsArgs, 'principalId'>>;
  issuedTokens?: Resolver<Array<ResolversTypes['TokenRecord']>, ParentType, ContextType, RequireFields<QueryIssuedTokensArgs, 'first' | 'principalId'>>;
  me?: Resolver<ResolversTypes['Me'], ParentType, ContextType>;
  principal?: Resolver<Maybe<ResolversTypes['Principal']>, ParentType, ContextType, RequireFields<QueryPrincipalArgs, 'id'>>;
  principals?: Resolver<Array<ResolversTypes['Principal']>, ParentType, ContextType, RequireFields<QueryPrincipalsArgs, 'first'>>;
  role?: Resolver<Maybe<ResolversTypes['Role']>, ParentType, ContextType, RequireFields<QueryRoleArgs, 'id'>>;
  roles?: Resolver<Array<ResolversTypes['Role']>, ParentType, ContextType>;
  verifyAuditChain?: Resolver<ResolversTypes['AuditChainVerification'], ParentType, ContextType, RequireFields<QueryVerifyAuditChainArgs, 'chain'>>;
}>;

export type RoleResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Role'] = ResolversParentTypes['Role']> = ResolversObject<{
  builtIn?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  permissions?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type ScopeResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Scope'] = ResolversParentTypes['Scope']> = ResolversObject<{
  attributes?: Resolver<Array<ResolversTypes['ScopeAttribute']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ScopeType'], ParentType, ContextType>;
}>;

export type ScopeAttributeResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['ScopeAttribute'] = ResolversParentTypes['ScopeAttribute']> = ResolversObject<{
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type ScopeTypeResolvers = { GLOBAL: 'global', GROUP: 'group', PATH: 'path', PRINCIPAL: 'principal', REPO: 'repo', SECRET: 'secret', SESSION: 'session', TEAM: 'team', TRACE: 'trace' };

export type SubscriptionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  auditEvents?: SubscriptionResolver<ResolversTypes['AuditEvent'], "auditEvents", ParentType, ContextType, Partial<SubscriptionAuditEventsArgs>>;
}>;

export type TokenRecordResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['TokenRecord'] = ResolversParentTypes['TokenRecord']> = ResolversObject<{
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  issuedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  issuedBy?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  permissions?: Resolver<Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  principalId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  tokenId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  AuditChainVerification?: AuditChainVerificationResolvers<ContextType>;
  AuditEvent?: AuditEventResolvers<ContextType>;
  AuthzDecision?: AuthzDecisionResolvers<ContextType>;
  AuthzScope?: GraphQLScalarType;
  Binding?: BindingResolvers<ContextType>;
  BindingDocument?: BindingDocumentResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DeletedRole?: DeletedRoleResolvers<ContextType>;
  IssuedToken?: IssuedTokenResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Me?: MeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Principal?: PrincipalResolvers<ContextType>;
  PrincipalType?: PrincipalTypeResolvers;
  Query?: QueryResolvers<ContextType>;
  Role?: RoleResolvers<ContextType>;
  Scope?: ScopeResolvers<ContextType>;
  ScopeAttribute?: ScopeAttributeResolvers<ContextType>;
  ScopeType?: ScopeTypeResolvers;
  Subscription?: SubscriptionResolvers<ContextType>;
  TokenRecord?: TokenRecordResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = SubgraphContext> = ResolversObject<{
  authenticated?: AuthenticatedDirectiveResolver<any, any, ContextType>;
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
