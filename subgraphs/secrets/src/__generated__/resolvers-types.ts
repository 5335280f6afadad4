import { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import { SecretRow, RotationRow } from '../store/secret-store';
import { SubgraphContext } from '@talos/kit';
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
  _FieldSet: { input: unknown; output: unknown; }
};

export type DeletedSecret = {
  __typename?: 'DeletedSecret';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type KekCount = {
  __typename?: 'KekCount';
  count: Scalars['Int']['output'];
  current: Scalars['Boolean']['output'];
  kekId: Scalars['String']['output'];
  loaded: Scalars['Boolean']['output'];
};

export type KekStatus = {
  __typename?: 'KekStatus';
  /** Secrets per KEK id, including the current one and ids this service has not loaded. */
  counts: Array<KekCount>;
  currentKekId: Scalars['String']['output'];
  /** Sorted. */
  loadedKekIds: Array<Scalars['String']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Delete a secret; NOT_FOUND when absent. */
  deleteSecret: DeletedSecret;
  /** Create or replace a secret's value (encrypted with the current KEK; version + 1 on replace). */
  putSecret: Secret;
  /** The plaintext value. A separate permission from reading metadata; every reveal is audited. */
  revealSecret: RevealedSecret;
  /**
   * Re-wrap every secret to targetKekId (default: the current KEK). Runs in the background on the elected
   * worker; ROTATION_ALREADY_RUNNING (details.operationId) while another operation runs.
   */
  startRotation: RotationOperation;
};


export type MutationDeleteSecretArgs = {
  name: Scalars['String']['input'];
};


export type MutationPutSecretArgs = {
  name: Scalars['String']['input'];
  value: Scalars['String']['input'];
};


export type MutationRevealSecretArgs = {
  name: Scalars['String']['input'];
};


export type MutationStartRotationArgs = {
  targetKekId?: InputMaybe<Scalars['String']['input']>;
};

/** A principal, resolved by the policy subgraph (the same rule as there, so both subgraphs agree). */
export type Principal = {
  __typename?: 'Principal';
  id: Scalars['ID']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** The KEK this service encrypts with, the KEKs it has loaded, and how many secrets each KEK id wraps. */
  kekStatus: KekStatus;
  rotation?: Maybe<RotationOperation>;
  /** Rotation operations, newest first. */
  rotations: Array<RotationOperation>;
  /** One secret's metadata; null when absent. */
  secret?: Maybe<Secret>;
  /** Secret metadata, ordered by name (never values). `after` is the last name of the previous page. */
  secrets: SecretPage;
};


export type QueryRotationArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRotationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySecretArgs = {
  name: Scalars['String']['input'];
};


export type QuerySecretsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RevealedSecret = {
  __typename?: 'RevealedSecret';
  kekId: Scalars['String']['output'];
  name: Scalars['String']['output'];
  value: Scalars['String']['output'];
  version: Scalars['Int']['output'];
};

/**
 * A re-wrap of every secret to targetKekId. Counters: scanned rows; rotated (re-wrapped); skipped (already
 * on the target); conflicts (a concurrent write changed the row first — the write wins); failed (could not be
 * decrypted, e.g. KEK_NOT_LOADED or DECRYPT_FAILED — left as they are and reported in lastError).
 */
export type RotationOperation = {
  __typename?: 'RotationOperation';
  batches: Scalars['Int']['output'];
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  conflicts: Scalars['Int']['output'];
  /** Last processed secret name (the worker resumes after it). */
  cursor?: Maybe<Scalars['String']['output']>;
  failed: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  lastError?: Maybe<Scalars['String']['output']>;
  rotated: Scalars['Int']['output'];
  scanned: Scalars['Int']['output'];
  skipped: Scalars['Int']['output'];
  startedAt: Scalars['DateTime']['output'];
  startedBy: Principal;
  status: RotationStatus;
  /** Workers that took over after the leader stopped making progress. */
  takeovers: Scalars['Int']['output'];
  targetKekId: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
};

export type RotationStatus =
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING';

/** Secret metadata. The value is only available through revealSecret. */
export type Secret = {
  __typename?: 'Secret';
  createdAt: Scalars['DateTime']['output'];
  createdBy: Principal;
  /** UUIDv7; the envelope's AAD binds the ciphertext to it. */
  id: Scalars['ID']['output'];
  /** The KEK that wraps the current ciphertext. */
  kekId: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** When the value was last replaced or re-wrapped. */
  rotatedAt?: Maybe<Scalars['DateTime']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  /** Bumped on every re-encryption (put or rotation). */
  version: Scalars['Int']['output'];
};

export type SecretPage = {
  __typename?: 'SecretPage';
  items: Array<Secret>;
  /** Pass as `after` for the next page; null on the last page. */
  nextCursor?: Maybe<Scalars['String']['output']>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The operation's state now, then after every committed batch; completes when it is COMPLETED or FAILED. */
  rotationProgress: RotationOperation;
};


export type SubscriptionRotationProgressArgs = {
  id: Scalars['ID']['input'];
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
  Secret: Secret;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Secret:
    ( { __typename: 'Secret' }
    & GraphQLRecursivePick<FederationTypes['Secret'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  AuthzScope: ResolverTypeWrapper<Scalars['AuthzScope']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DeletedSecret: ResolverTypeWrapper<DeletedSecret>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  KekCount: ResolverTypeWrapper<KekCount>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  KekStatus: ResolverTypeWrapper<KekStatus>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Principal: ResolverTypeWrapper<Principal>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RevealedSecret: ResolverTypeWrapper<RevealedSecret>;
  RotationOperation: ResolverTypeWrapper<RotationRow>;
  RotationStatus: RotationStatus;
  Secret: ResolverTypeWrapper<SecretRow>;
  SecretPage: ResolverTypeWrapper<Omit<SecretPage, 'items'> & { items: Array<ResolversTypes['Secret']> }>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  AuthzScope: Scalars['AuthzScope']['output'];
  DateTime: Scalars['DateTime']['output'];
  DeletedSecret: DeletedSecret;
  ID: Scalars['ID']['output'];
  KekCount: KekCount;
  Int: Scalars['Int']['output'];
  Boolean: Scalars['Boolean']['output'];
  KekStatus: KekStatus;
  Mutation: Record<PropertyKey, never>;
  Principal: Principal;
  Query: Record<PropertyKey, never>;
  RevealedSecret: RevealedSecret;
  RotationOperation: RotationRow;
  Secret: SecretRow;
  SecretPage: Omit<SecretPage, 'items'> & { items: Array<ResolversParentTypes['Secret']> };
  Subscription: Record<PropertyKey, never>;
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

export interface AuthzScopeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['AuthzScope'], any> {
  name: 'AuthzScope';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DeletedSecretResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['DeletedSecret'] = ResolversParentTypes['DeletedSecret']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type KekCountResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['KekCount'] = ResolversParentTypes['KekCount']> = ResolversObject<{
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  current?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  kekId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  loaded?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type KekStatusResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['KekStatus'] = ResolversParentTypes['KekStatus']> = ResolversObject<{
  counts?: Resolver<Array<ResolversTypes['KekCount']>, ParentType, ContextType>;
  currentKekId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  loadedKekIds?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  deleteSecret?: Resolver<ResolversTypes['DeletedSecret'], ParentType, ContextType, RequireFields<MutationDeleteSecretArgs, 'name'>>;
  putSecret?: Resolver<ResolversTypes['Secret'], ParentType, ContextType, RequireFields<MutationPutSecretArgs, 'name' | 'value'>>;
  revealSecret?: Resolver<ResolversTypes['RevealedSecret'], ParentType, ContextType, RequireFields<MutationRevealSecretArgs, 'name'>>;
  startRotation?: Resolver<ResolversTypes['RotationOperation'], ParentType, ContextType, Partial<MutationStartRotationArgs>>;
}>;

export type PrincipalResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Principal'] = ResolversParentTypes['Principal']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  kekStatus?: Resolver<ResolversTypes['KekStatus'], ParentType, ContextType>;
  rotation?: Resolver<Maybe<ResolversTypes['RotationOperation']>, ParentType, ContextType, RequireFields<QueryRotationArgs, 'id'>>;
  rotations?: Resolver<Array<ResolversTypes['RotationOperation']>, ParentType, ContextType, RequireFields<QueryRotationsArgs, 'first'>>;
  secret?: Resolver<Maybe<ResolversTypes['Secret']>, ParentType, ContextType, RequireFields<QuerySecretArgs, 'name'>>;
  secrets?: Resolver<ResolversTypes['SecretPage'], ParentType, ContextType, RequireFields<QuerySecretsArgs, 'first'>>;
}>;

export type RevealedSecretResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['RevealedSecret'] = ResolversParentTypes['RevealedSecret']> = ResolversObject<{
  kekId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type RotationOperationResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['RotationOperation'] = ResolversParentTypes['RotationOperation']> = ResolversObject<{
  batches?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  conflicts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  failed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastError?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  rotated?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  scanned?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  skipped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  startedBy?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['RotationStatus'], ParentType, ContextType>;
  takeovers?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  targetKekId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
}>;

export type SecretResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Secret'] = ResolversParentTypes['Secret'], FederationReferenceType extends FederationReferenceTypes['Secret'] = FederationReferenceTypes['Secret']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Secret']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['Principal'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kekId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rotatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type SecretPageResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['SecretPage'] = ResolversParentTypes['SecretPage']> = ResolversObject<{
  items?: Resolver<Array<ResolversTypes['Secret']>, ParentType, ContextType>;
  nextCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = SubgraphContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  rotationProgress?: SubscriptionResolver<ResolversTypes['RotationOperation'], "rotationProgress", ParentType, ContextType, RequireFields<SubscriptionRotationProgressArgs, 'id'>>;
}>;

export type Resolvers<ContextType = SubgraphContext> = ResolversObject<{
  AuthzScope?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  DeletedSecret?: DeletedSecretResolvers<ContextType>;
  KekCount?: KekCountResolvers<ContextType>;
  KekStatus?: KekStatusResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Principal?: PrincipalResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RevealedSecret?: RevealedSecretResolvers<ContextType>;
  RotationOperation?: RotationOperationResolvers<ContextType>;
  Secret?: SecretResolvers<ContextType>;
  SecretPage?: SecretPageResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
}>;

export type DirectiveResolvers<ContextType = SubgraphContext> = ResolversObject<{
  authenticated?: AuthenticatedDirectiveResolver<any, any, ContextType>;
  authz?: AuthzDirectiveResolver<any, any, ContextType>;
  public?: PublicDirectiveResolver<any, any, ContextType>;
}>;
