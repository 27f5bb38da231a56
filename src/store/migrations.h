// Versioned schema migrations: the store's tables are created and changed only here, one
// numbered step at a time, each in its own transaction, with the version reached kept in the
// schema_version table.
#ifndef INQUEST_STORE_MIGRATIONS_H_
#define INQUEST_STORE_MIGRATIONS_H_

#include "base/status.h"
#include "store/connection.h"

namespace inquest::store {

// The schema version this build writes and understands.
int LatestSchemaVersion();

// Brings the database to LatestSchemaVersion(). Safe to run from several processes at once
// (each step re-reads the version under the migration lock). kBadInput when the database is
// at a newer version than this build knows: it was written by a newer inquest.
Status Migrate(Connection* c);

// The version the database is at (0 for an empty database).
Result<int> ReadSchemaVersion(Connection* c);

}  // namespace inquest::store

#endif  // INQUEST_STORE_MIGRATIONS_H_
