// A user's module: test/consumers/go/run.sh copies it into a fresh folder, where the README's
// commands add the library (dist/go) and its quick start becomes main.go. aws-cdk-go is the
// oldest release at or above the aws-cdk-lib pin that the Go module proxy here serves, and go
// 1.26 is what jsii-runtime-go v1.141 and later ask for (toolchain/versions.json).
module github.com/cdk-ivs-realtime-events/consumer

go 1.26.0

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.257.0
	github.com/aws/jsii-runtime-go v1.142.0
)

require (
	github.com/Masterminds/semver/v3 v3.5.0 // indirect
	github.com/aws/constructs-go/constructs/v10 v10.5.1 // indirect
	github.com/cdklabs/awscdk-asset-awscli-go/awscliv1/v2 v2.2.273 // indirect
	github.com/cdklabs/awscdk-asset-node-proxy-agent-go/nodeproxyagentv6/v2 v2.1.3 // indirect
	github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 v53.28.0 // indirect
)

// Releases the Go module proxy here does not serve, mapped to served ones (see ../README.md).
replace github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 => github.com/cdklabs/cloud-assembly-schema-go/awscdkcloudassemblyschema/v53 v53.25.0
