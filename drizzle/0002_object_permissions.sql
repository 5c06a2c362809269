CREATE TABLE "object_permissions" (
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"principal_kind" text NOT NULL,
	"principal_name" text NOT NULL,
	"level" text NOT NULL,
	CONSTRAINT "object_permissions_object_type_object_id_principal_kind_principal_name_pk" PRIMARY KEY("object_type","object_id","principal_kind","principal_name")
);
