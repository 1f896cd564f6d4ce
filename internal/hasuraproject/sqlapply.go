package hasuraproject

import (
	"fmt"
	"sort"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// skippedStatements cannot change the schema Hasura exposes: function and
// trigger bodies, privileges, row security policies, extensions, data,
// transaction control. The loader lists each in the report.
var skippedStatements = map[string]string{
	"CreateFunctionStmt":         "CREATE FUNCTION",
	"AlterFunctionStmt":          "ALTER FUNCTION",
	"CreateExtensionStmt":        "CREATE EXTENSION",
	"AlterExtensionStmt":         "ALTER EXTENSION",
	"AlterExtensionContentsStmt": "ALTER EXTENSION",
	"GrantStmt":                  "GRANT/REVOKE",
	"GrantRoleStmt":              "GRANT/REVOKE role",
	"AlterDefaultPrivilegesStmt": "ALTER DEFAULT PRIVILEGES",
	"CreateRoleStmt":             "CREATE ROLE",
	"AlterRoleStmt":              "ALTER ROLE",
	"AlterRoleSetStmt":           "ALTER ROLE SET",
	"DropRoleStmt":               "DROP ROLE",
	"CreatePolicyStmt":           "CREATE POLICY",
	"AlterPolicyStmt":            "ALTER POLICY",
	"TransactionStmt":            "transaction control",
	"InsertStmt":                 "INSERT",
	"UpdateStmt":                 "UPDATE",
	"DeleteStmt":                 "DELETE",
	"MergeStmt":                  "MERGE",
	"TruncateStmt":               "TRUNCATE",
	"CopyStmt":                   "COPY",
	"CreateEventTrigStmt":        "CREATE EVENT TRIGGER",
	"AlterEventTrigStmt":         "ALTER EVENT TRIGGER",
	"AlterOwnerStmt":             "ALTER … OWNER TO",
	"CreateCastStmt":             "CREATE CAST",
	"CreateOpClassStmt":          "CREATE OPERATOR CLASS",
	"CreateOpFamilyStmt":         "CREATE OPERATOR FAMILY",
	"AlterOpFamilyStmt":          "ALTER OPERATOR FAMILY",
	"AlterOperatorStmt":          "ALTER OPERATOR",
	"DefineStmt":                 "CREATE AGGREGATE/OPERATOR/COLLATION/TEXT SEARCH",
	"CreateConversionStmt":       "CREATE CONVERSION",
	"CreatePLangStmt":            "CREATE LANGUAGE",
	"CreateStatsStmt":            "CREATE STATISTICS",
	"AlterStatsStmt":             "ALTER STATISTICS",
	"AlterDomainStmt":            "ALTER DOMAIN",
	"RefreshMatViewStmt":         "REFRESH MATERIALIZED VIEW",
	"NotifyStmt":                 "NOTIFY",
	"ListenStmt":                 "LISTEN",
	"UnlistenStmt":               "UNLISTEN",
	"LockStmt":                   "LOCK",
	"VacuumStmt":                 "VACUUM/ANALYZE",
	"ClusterStmt":                "CLUSTER",
	"ReindexStmt":                "REINDEX",
	"CheckPointStmt":             "CHECKPOINT",
	"DiscardStmt":                "DISCARD",
	"ExplainStmt":                "EXPLAIN",
	"CreatePublicationStmt":      "CREATE PUBLICATION",
	"AlterPublicationStmt":       "ALTER PUBLICATION",
	"CreateSubscriptionStmt":     "CREATE SUBSCRIPTION",
	"AlterSubscriptionStmt":      "ALTER SUBSCRIPTION",
	"DropSubscriptionStmt":       "DROP SUBSCRIPTION",
	"CreateFdwStmt":              "CREATE FOREIGN DATA WRAPPER",
	"CreateForeignServerStmt":    "CREATE SERVER",
	"CreateUserMappingStmt":      "CREATE USER MAPPING",
	"AlterSystemStmt":            "ALTER SYSTEM",
	"AlterDatabaseStmt":          "ALTER DATABASE",
	"AlterDatabaseSetStmt":       "ALTER DATABASE SET",
	"AlterTSDictionaryStmt":      "ALTER TEXT SEARCH DICTIONARY",
	"AlterTSConfigurationStmt":   "ALTER TEXT SEARCH CONFIGURATION",
	"VariableShowStmt":           "SHOW",
	"ConstraintsSetStmt":         "SET CONSTRAINTS",
	"SecLabelStmt":               "SECURITY LABEL",
	"PrepareStmt":                "PREPARE",
	"DeallocateStmt":             "DEALLOCATE",
}

// nodeName is a statement's node type without its Go wrapper: "CreateStmt".
func nodeName(n *pg.Node) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", n.Node), "*pg_query.Node_")
}

// applyMigrations parses every migration in one call and applies the
// statements in order.
func (l *loader) applyMigrations(names, texts []string, report *Report) (*catalog, *Error) {
	src := newSQLSource(names, texts)
	c := newCatalog(src, report)
	c.deparse = l.deparse
	if len(names) == 0 {
		return c, nil
	}
	tree, err := l.treeFor(src)
	if err != nil {
		return nil, src.syntaxError(err)
	}
	for _, raw := range tree.Stmts {
		c.pos = src.pos(src.stmtStart(int(raw.StmtLocation)))
		if err := c.apply(raw.Stmt); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (c *catalog) apply(n *pg.Node) *Error {
	switch {
	case n.GetCreateStmt() != nil:
		return c.createTable(n.GetCreateStmt())
	case n.GetAlterTableStmt() != nil:
		return c.alterTable(n.GetAlterTableStmt())
	case n.GetViewStmt() != nil:
		return c.createView(n.GetViewStmt())
	case n.GetCreateTableAsStmt() != nil:
		return c.createMatView(n.GetCreateTableAsStmt())
	case n.GetIndexStmt() != nil:
		return c.createIndex(n.GetIndexStmt())
	case n.GetDropStmt() != nil:
		return c.drop(n.GetDropStmt())
	case n.GetRenameStmt() != nil:
		return c.rename(n.GetRenameStmt())
	case n.GetAlterObjectSchemaStmt() != nil:
		return c.setSchema(n.GetAlterObjectSchemaStmt())
	case n.GetCommentStmt() != nil:
		return c.comment(n.GetCommentStmt())
	case n.GetCreateEnumStmt() != nil:
		return c.createEnum(n.GetCreateEnumStmt())
	case n.GetAlterEnumStmt() != nil:
		return c.alterEnum(n.GetAlterEnumStmt())
	case n.GetCreateDomainStmt() != nil:
		return c.createDomain(n.GetCreateDomainStmt())
	case n.GetCompositeTypeStmt() != nil:
		return c.createComposite(n.GetCompositeTypeStmt())
	case n.GetCreateSchemaStmt() != nil:
		return c.createSchema(n.GetCreateSchemaStmt())
	case n.GetCreateSeqStmt() != nil:
		return c.createSequence(n.GetCreateSeqStmt())
	case n.GetAlterSeqStmt() != nil:
		return c.alterSequence(n.GetAlterSeqStmt())
	case n.GetCreateTrigStmt() != nil:
		return c.createTrigger(n.GetCreateTrigStmt())
	case n.GetVariableSetStmt() != nil:
		c.setVariable(n.GetVariableSetStmt())
		return nil
	case n.GetSelectStmt() != nil:
		if !c.setConfig(n.GetSelectStmt()) {
			c.skip("SELECT")
		}
		return nil
	}
	name := nodeName(n)
	if kind, ok := skippedStatements[name]; ok {
		c.skip(kind)
		return nil
	}
	return c.errf(ErrUnsupported, "statement %s is not modelled (it could change the schema)", statementWord(name))
}

// statementWord names a statement for a message: "RuleStmt" → "RULE".
func statementWord(name string) string {
	words := map[string]string{
		"RuleStmt": "CREATE RULE", "DoStmt": "DO", "CallStmt": "CALL",
		"CreateForeignTableStmt": "CREATE FOREIGN TABLE", "ImportForeignSchemaStmt": "IMPORT FOREIGN SCHEMA",
		"CreatedbStmt": "CREATE DATABASE", "CreateTableSpaceStmt": "CREATE TABLESPACE",
		"AlterTypeStmt": "ALTER TYPE", "ExecuteStmt": "EXECUTE",
	}
	if w, ok := words[name]; ok {
		return w
	}
	return name
}

// enumsIn lists the catalog's enum types, sorted by name.
func (c *catalog) enumsIn() []*EnumType {
	var es []*EnumType
	for _, te := range c.types {
		if te.enum != nil {
			es = append(es, te.enum)
		}
	}
	sort.Slice(es, func(i, j int) bool {
		if es[i].Schema != es[j].Schema {
			return es[i].Schema < es[j].Schema
		}
		return es[i].Name < es[j].Name
	})
	return es
}
