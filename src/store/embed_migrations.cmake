# Writes OUTPUT: a C++ file holding every MIGRATIONS_DIR/NNNN_name.sql as a
# Migration{version, reason, sql}, returned by NAMESPACE::migrations() as
# declared in HEADER. The reason is the file's first line ("-- reason: …").
# Shared by the SQLite and PostgreSQL adapters.
file(GLOB sql_files "${MIGRATIONS_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(f ${sql_files})
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version}")
  file(READ ${f} sql)
  string(REGEX MATCH "^-- reason: [^\n]*" reason "${sql}")
  string(REPLACE "-- reason: " "" reason "${reason}")
  string(APPEND body "    {${version}, R\"redress_sql(${reason})redress_sql\", R\"redress_sql(${sql})redress_sql\"},\n")
endforeach()
file(WRITE ${OUTPUT}.tmp "// Generated from ${MIGRATIONS_DIR}/*.sql; do not edit.\n#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\n\nstd::span<const Migration> migrations() {\n  static const Migration kMigrations[] = {\n${body}  };\n  return kMigrations;\n}\n\n}  // namespace ${NAMESPACE}\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUTPUT}.tmp ${OUTPUT})
