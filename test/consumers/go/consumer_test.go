// The library from Go: what a Go user writes, checked on the synthesized template.
package consumer

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awseventstargets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsivs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
	ivs "github.com/cdk-ivs-realtime-events/cdk-ivs-realtime-events-go/cdkivsrealtimeevents"
)

const stage = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"

func newStack() awscdk.Stack {
	return awscdk.NewStack(awscdk.NewApp(nil), jsii.String("Consumer"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
}

func TestRuleWithCatalogAndFutureEvents(t *testing.T) {
	stack := newStack()
	replication := ivs.IvsEvent_Of(ivs.IvsDetailType_STAGE_UPDATE(), jsii.String("Participant Replication Start"))

	rule := ivs.NewIvsStageEventRule(stack, jsii.String("Rule"), &ivs.IvsStageEventRuleProps{
		Events:    &[]ivs.IvsEvent{ivs.IvsEvent_PARTICIPANT_PUBLISHED(), replication},
		StageArns: jsii.Strings(stage),
	})

	names := []string{}
	for _, e := range *rule.Events() {
		names = append(names, *e.EventName())
	}
	if strings.Join(names, ",") != "Participant Published,Participant Replication Start" {
		t.Fatalf("rule events: %v", names)
	}
	assertions.Template_FromStack(stack, nil).HasResourceProperties(jsii.String("AWS::Events::Rule"), map[string]interface{}{
		"EventPattern": map[string]interface{}{
			"source":      []string{"aws.ivs"},
			"detail-type": []string{"IVS Stage Update"},
			"resources":   []string{stage},
			"detail":      map[string]interface{}{"event_name": []string{"Participant Published", "Participant Replication Start"}},
		},
	})
}

func TestAlarmNotifierAndDevelopmentMonitoring(t *testing.T) {
	stack := newStack()
	oncall := awssns.NewTopic(stack, jsii.String("Oncall"), &awssns.TopicProps{EnforceSSL: jsii.Bool(true)})

	ivs.NewCompositionFailureAlarm(stack, jsii.String("Composition"), &ivs.CompositionFailureAlarmProps{AlarmTopic: oncall, Threshold: jsii.Number(2)})
	notifier := ivs.NewRecordingCompleteNotifier(stack, jsii.String("Recordings"), nil)
	monitoring := ivs.NewIvsRealTimeMonitoring(stack, jsii.String("Monitoring"), &ivs.IvsRealTimeMonitoringProps{
		EnvironmentName: jsii.String("dev"),
		Profile:         ivs.MonitoringProfile_DEVELOPMENT(),
		CriticalTopics:  &[]awssns.ITopic{oncall},
	})

	template := assertions.Template_FromStack(stack, nil)
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{"Threshold": 2, "MetricName": "TriggeredRules"})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{
		"AlarmName": "ivs-realtime-dev-composition-failures", "Threshold": 5, "ActionsEnabled": false,
	})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Dashboard"), map[string]interface{}{"DashboardName": "ivs-realtime-dev"})
	if n := len(*notifier.Rules()); n != 4 {
		t.Fatalf("notifier rules: %d", n)
	}
	if name := *monitoring.Profile().Name(); name != "development" {
		t.Fatalf("profile: %s", name)
	}
	if retention := monitoring.Profile().Settings().LogRetention; retention != awslogs.RetentionDays_ONE_WEEK {
		t.Fatalf("log retention: %v", retention)
	}
}

// Synthesized into TRACKER_OUTDIR, where run.sh compares the function's asset with the bundle.
func TestStateTrackerCarriesItsBundledHandler(t *testing.T) {
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(os.Getenv("TRACKER_OUTDIR"))})
	stack := awscdk.NewStack(app, jsii.String("Consumer"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("123456789012"), Region: jsii.String("us-east-1")},
	})
	ivs.NewIvsStageStateTracker(stack, jsii.String("Tracker"), &ivs.IvsStageStateTrackerProps{StageArns: jsii.Strings(stage)})

	template := assertions.Template_FromStack(stack, nil)
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]interface{}{"Runtime": "nodejs24.x", "Handler": "index.handler"})
	template.HasResourceProperties(jsii.String("AWS::Lambda::EventSourceMapping"), map[string]interface{}{
		"FunctionResponseTypes": []string{"ReportBatchItemFailures"},
	})
	app.Synth(nil)
}

func TestCompositionsAndRecordingsReady(t *testing.T) {
	stack := newStack()
	tracker := ivs.NewIvsStageStateTracker(stack, jsii.String("Tracker"), &ivs.IvsStageStateTrackerProps{StageArns: jsii.Strings(stage)})
	storage := awsivs.NewCfnStorageConfiguration(stack, jsii.String("Storage"), &awsivs.CfnStorageConfigurationProps{
		S3: &awsivs.CfnStorageConfiguration_S3StorageConfigurationProperty{BucketName: jsii.String("recordings")},
	})
	encoder := awsivs.NewCfnEncoderConfiguration(stack, jsii.String("Encoder"), &awsivs.CfnEncoderConfigurationProps{Name: jsii.String("hd")})
	compositions := ivs.NewIvsAutoComposition(stack, jsii.String("Compositions"), &ivs.IvsAutoCompositionProps{
		Tracker: tracker,
		Destinations: &[]ivs.CompositionDestination{
			ivs.CompositionDestination_Channel(awsivs.NewCfnChannel(stack, jsii.String("Channel"), &awsivs.CfnChannelProps{Name: jsii.String("live")}), nil),
			ivs.CompositionDestination_S3(&ivs.S3CompositionDestinationOptions{StorageConfiguration: storage, EncoderConfiguration: encoder}),
		},
		Layout:          ivs.CompositionLayout_Grid(&ivs.GridLayoutOptions{FeaturedParticipantAttribute: jsii.String("featured")}),
		StopGracePeriod: awscdk.Duration_Minutes(jsii.Number(3)),
	})
	recordings := ivs.NewIvsRecordingReady(stack, jsii.String("Recordings"), &ivs.IvsRecordingReadyProps{
		Buckets: &[]awss3.IBucket{awss3.Bucket_FromBucketName(stack, jsii.String("Bucket"), jsii.String("recordings"))},
		Tracker: tracker,
	})
	queue := awssqs.NewQueue(stack, jsii.String("ToTranscode"), &awssqs.QueueProps{EnforceSSL: jsii.Bool(true)})
	recordings.OnRecordingReady(jsii.String("Transcode"), awseventstargets.NewSqsQueue(queue, nil))

	// Start, stop, the tracker's 3-minute grace, and the recordings' machine.
	assertions.Template_FromStack(stack, nil).ResourceCountIs(jsii.String("AWS::StepFunctions::StateMachine"), jsii.Number(4))
	if compositions.StartStateMachine() == nil || recordings.StateMachine() == nil {
		t.Fatal("state machines missing")
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "destinations") {
			t.Fatalf("expected the destinations error, got %v", r)
		}
	}()
	ivs.NewIvsAutoComposition(stack, jsii.String("None"), &ivs.IvsAutoCompositionProps{Tracker: tracker, Destinations: &[]ivs.CompositionDestination{}})
}

func TestCustomProfileAndStructWithOptionalFields(t *testing.T) {
	canary := ivs.MonitoringProfile_Custom(&ivs.CustomMonitoringProfileProps{
		Name:                  jsii.String("canary"),
		BasedOn:               ivs.MonitoringProfile_STAGING(),
		PublishErrorThreshold: jsii.Number(3),
	})
	settings := canary.Settings()
	if *settings.PublishErrorThreshold != 3 || !*settings.AlarmActionsEnabled {
		t.Fatalf("canary: %v %v", *settings.PublishErrorThreshold, *settings.AlarmActionsEnabled)
	}

	detail := ivs.StageUpdateEventDetail{EventName: jsii.String("Participant Published"), ParticipantId: jsii.String("p1"), SessionId: jsii.String("st-1")}
	if detail.UserId != nil {
		t.Fatalf("userId should be absent")
	}
}

func TestBadInputRaisesTheLibraryMessage(t *testing.T) {
	defer func() {
		message := ""
		if r := recover(); r != nil {
			if err, ok := r.(error); ok {
				message = err.Error()
			}
		}
		if !strings.Contains(message, "`events` must name at least one IVS event, got []") {
			t.Fatalf("expected the library's error, got %q", message)
		}
	}()
	ivs.NewIvsStageEventRule(newStack(), jsii.String("Rule"), &ivs.IvsStageEventRuleProps{Events: &[]ivs.IvsEvent{}})
}
