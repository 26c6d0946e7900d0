module github.com/gisa-news/gisa

go 1.26.8

require (
	github.com/andybalholm/cascadia v1.3.4
	go.yaml.in/yaml/v3 v3.0.6
	golang.org/x/net v0.62.0
	golang.org/x/text v0.44.0
)
