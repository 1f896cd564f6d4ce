package graphql

//go:generate go run github.com/Khan/genqlient
