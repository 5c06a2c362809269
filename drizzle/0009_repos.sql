CREATE TABLE "repos" (
	"id" bigint PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"url" text NOT NULL,
	"provider" text NOT NULL,
	"branch" text,
	"head_commit_id" text NOT NULL,
	"created_by" bigint NOT NULL,
	CONSTRAINT "repos_path_key" UNIQUE("path")
);
