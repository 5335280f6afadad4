-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "audit";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "policy";

-- CreateTable
CREATE TABLE "audit"."events" (
    "id" UUID NOT NULL,
    "chain" VARCHAR(32) NOT NULL,
    "seq" BIGINT NOT NULL,
    "timestamp" TIMESTAMPTZ(3) NOT NULL,
    "principal_id" VARCHAR(255) NOT NULL,
    "action" VARCHAR(100) NOT NULL,
    "resource_type" VARCHAR(50) NOT NULL,
    "resource_id" VARCHAR(255) NOT NULL,
    "request_id" VARCHAR(64) NOT NULL,
    "schema_id" VARCHAR(64) NOT NULL,
    "schema_version" VARCHAR(16) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "details" JSONB NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "event_hash" CHAR(64) NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy"."principals" (
    "id" VARCHAR(255) NOT NULL,
    "type" VARCHAR(32) NOT NULL,
    "display_name" VARCHAR(255),
    "email" VARCHAR(320),
    "public_key" VARCHAR(64),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "principals_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy"."roles" (
    "id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(1000),
    "permissions" TEXT[],
    "built_in" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "roles_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy"."role_bindings" (
    "id" UUID NOT NULL,
    "principal_id" VARCHAR(255) NOT NULL,
    "role_id" UUID NOT NULL,
    "scope_type" VARCHAR(20) NOT NULL,
    "scope_attributes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "role_bindings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy"."issued_tokens" (
    "id" UUID NOT NULL,
    "principal_id" VARCHAR(255) NOT NULL,
    "permissions" TEXT[],
    "issued_by" VARCHAR(255) NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "issued_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "events_chain_seq_key" ON "audit"."events"("chain", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "principals_email_key" ON "policy"."principals"("email");

-- CreateIndex
CREATE UNIQUE INDEX "roles_name_key" ON "policy"."roles"("name");

-- CreateIndex
CREATE INDEX "role_bindings_principal_id_idx" ON "policy"."role_bindings"("principal_id");

-- CreateIndex
CREATE INDEX "role_bindings_role_id_idx" ON "policy"."role_bindings"("role_id");

-- CreateIndex
CREATE INDEX "issued_tokens_principal_id_idx" ON "policy"."issued_tokens"("principal_id");

-- AddForeignKey
ALTER TABLE "policy"."role_bindings" ADD CONSTRAINT "role_bindings_principal_id_fkey" FOREIGN KEY ("principal_id") REFERENCES "policy"."principals"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy"."role_bindings" ADD CONSTRAINT "role_bindings_role_id_fkey" FOREIGN KEY ("role_id") REFERENCES "policy"."roles"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

