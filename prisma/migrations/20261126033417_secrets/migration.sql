-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "secrets";

-- CreateTable
CREATE TABLE "secrets"."secrets" (
    "id" VARCHAR(36) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "ciphertext" TEXT NOT NULL,
    "nonce" VARCHAR(64) NOT NULL,
    "tag" VARCHAR(64) NOT NULL,
    "aad" TEXT,
    "kek_id" VARCHAR(64) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_by" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "rotated_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "secrets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "secrets"."rotation_operations" (
    "id" UUID NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "target_kek_id" VARCHAR(64) NOT NULL,
    "cursor" VARCHAR(255),
    "scanned" INTEGER NOT NULL DEFAULT 0,
    "rotated" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "conflicts" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "started_by" VARCHAR(255) NOT NULL,
    "leader_id" VARCHAR(128),
    "lease_until" TIMESTAMPTZ(3),
    "takeovers" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "rotation_operations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "secrets_name_key" ON "secrets"."secrets"("name");

-- CreateIndex
CREATE INDEX "secrets_kek_id_idx" ON "secrets"."secrets"("kek_id");

-- CreateIndex
CREATE INDEX "rotation_operations_status_started_at_idx" ON "secrets"."rotation_operations"("status", "started_at");

