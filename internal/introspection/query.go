package introspection

// typeRefDepth is how many ofType levels Query asks for: enough for a
// type such as [[[T!]!]!]!, deeper than any Hasura generates.
const typeRefDepth = 8

// Query is the introspection query whose answer [SDL] reads. Its
// TypeRef fragment asks for typeRefDepth levels of ofType.
const Query = `query IntrospectionQuery {
  __schema {
    queryType { name }
    mutationType { name }
    subscriptionType { name }
    types { ...FullType }
    directives {
      name
      description
      locations
      args { ...InputValue }
    }
  }
}

fragment FullType on __Type {
  kind
  name
  description
  fields(includeDeprecated: true) {
    name
    description
    args { ...InputValue }
    type { ...TypeRef }
    isDeprecated
    deprecationReason
  }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) {
    name
    description
    isDeprecated
    deprecationReason
  }
  possibleTypes { ...TypeRef }
}

fragment InputValue on __InputValue {
  name
  description
  type { ...TypeRef }
  defaultValue
}

fragment TypeRef on __Type {
  kind
  name
  ofType {
    kind
    name
    ofType {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                }
              }
            }
          }
        }
      }
    }
  }
}
`

// The shapes of the answer's "data" member.
type (
	answer struct {
		Schema *schemaJSON `json:"__schema"`
	}
	schemaJSON struct {
		QueryType        *namedJSON      `json:"queryType"`
		MutationType     *namedJSON      `json:"mutationType"`
		SubscriptionType *namedJSON      `json:"subscriptionType"`
		Types            []typeJSON      `json:"types"`
		Directives       []directiveJSON `json:"directives"`
	}
	namedJSON struct {
		Name string `json:"name"`
	}
	typeJSON struct {
		Kind          string           `json:"kind"`
		Name          string           `json:"name"`
		Description   string           `json:"description"`
		Fields        []fieldJSON      `json:"fields"`
		InputFields   []inputValueJSON `json:"inputFields"`
		Interfaces    []typeRefJSON    `json:"interfaces"`
		EnumValues    []enumValueJSON  `json:"enumValues"`
		PossibleTypes []typeRefJSON    `json:"possibleTypes"`
	}
	fieldJSON struct {
		Name              string           `json:"name"`
		Description       string           `json:"description"`
		Args              []inputValueJSON `json:"args"`
		Type              *typeRefJSON     `json:"type"`
		IsDeprecated      bool             `json:"isDeprecated"`
		DeprecationReason *string          `json:"deprecationReason"`
	}
	inputValueJSON struct {
		Name         string       `json:"name"`
		Description  string       `json:"description"`
		Type         *typeRefJSON `json:"type"`
		DefaultValue *string      `json:"defaultValue"`
	}
	enumValueJSON struct {
		Name              string  `json:"name"`
		Description       string  `json:"description"`
		IsDeprecated      bool    `json:"isDeprecated"`
		DeprecationReason *string `json:"deprecationReason"`
	}
	typeRefJSON struct {
		Kind   string       `json:"kind"`
		Name   *string      `json:"name"`
		OfType *typeRefJSON `json:"ofType"`
	}
	directiveJSON struct {
		Name        string           `json:"name"`
		Description string           `json:"description"`
		Locations   []string         `json:"locations"`
		Args        []inputValueJSON `json:"args"`
	}
)
