"""The library from Python: what a Python user writes, checked on the synthesized template."""
import os

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_ivs as ivs
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from cdk_ivs_realtime_events import (
    CompositionDestination,
    CompositionFailureAlarm,
    CompositionLayout,
    IvsAutoComposition,
    IvsDetailType,
    IvsEvent,
    IvsRealTimeMonitoring,
    IvsRecordingReady,
    IvsStageEventRule,
    IvsStageStateTracker,
    MonitoringProfile,
    RecordingCompleteNotifier,
    StageUpdateEventDetail,
)

STAGE = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij"


def new_stack() -> cdk.Stack:
    return cdk.Stack(cdk.App(), "Consumer", env=cdk.Environment(account="123456789012", region="us-east-1"))


def test_rule_with_catalog_and_future_events():
    stack = new_stack()
    replication = IvsEvent.of(IvsDetailType.STAGE_UPDATE, "Participant Replication Start")

    rule = IvsStageEventRule(stack, "Rule", events=[IvsEvent.PARTICIPANT_PUBLISHED, replication], stage_arns=[STAGE])

    assert [e.event_name for e in rule.events] == ["Participant Published", "Participant Replication Start"]
    assertions.Template.from_stack(stack).has_resource_properties("AWS::Events::Rule", {
        "EventPattern": {
            "source": ["aws.ivs"],
            "detail-type": ["IVS Stage Update"],
            "resources": [STAGE],
            "detail": {"event_name": ["Participant Published", "Participant Replication Start"]},
        },
    })


def test_alarm_notifier_and_development_monitoring():
    stack = new_stack()
    oncall = sns.Topic(stack, "Oncall", enforce_ssl=True)

    CompositionFailureAlarm(stack, "Composition", alarm_topic=oncall, threshold=2)
    notifier = RecordingCompleteNotifier(stack, "Recordings")
    monitoring = IvsRealTimeMonitoring(stack, "Monitoring", environment_name="dev",
                                       profile=MonitoringProfile.DEVELOPMENT, critical_topics=[oncall])

    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::CloudWatch::Alarm", {"Threshold": 2, "MetricName": "TriggeredRules"})
    template.has_resource_properties("AWS::CloudWatch::Alarm", {
        "AlarmName": "ivs-realtime-dev-composition-failures", "Threshold": 5, "ActionsEnabled": False,
    })
    template.has_resource_properties("AWS::CloudWatch::Dashboard", {"DashboardName": "ivs-realtime-dev"})
    assert len(notifier.rules) == 4
    assert monitoring.profile.name == "development"
    assert monitoring.profile.settings.log_retention == logs.RetentionDays.ONE_WEEK


def test_state_tracker_carries_its_bundled_handler():
    # Synthesized into TRACKER_OUTDIR, where run.sh compares the function's asset with the bundle.
    app = cdk.App(outdir=os.environ["TRACKER_OUTDIR"])
    stack = cdk.Stack(app, "Consumer", env=cdk.Environment(account="123456789012", region="us-east-1"))
    tracker = IvsStageStateTracker(stack, "Tracker", stage_arns=[STAGE])

    template = assertions.Template.from_stack(stack)
    template.has_resource_properties("AWS::Lambda::Function", {"Runtime": "nodejs24.x", "Handler": "index.handler"})
    template.has_resource_properties("AWS::Lambda::EventSourceMapping", {"FunctionResponseTypes": ["ReportBatchItemFailures"]})
    assert tracker.table is not None
    app.synth()


def test_compositions_and_recordings_ready():
    stack = new_stack()
    tracker = IvsStageStateTracker(stack, "Tracker", stage_arns=[STAGE])
    storage = ivs.CfnStorageConfiguration(stack, "Storage", s3=ivs.CfnStorageConfiguration.S3StorageConfigurationProperty(bucket_name="recordings"))
    encoder = ivs.CfnEncoderConfiguration(stack, "Encoder", name="hd")
    compositions = IvsAutoComposition(
        stack, "Compositions", tracker=tracker,
        destinations=[
            CompositionDestination.channel(ivs.CfnChannel(stack, "Channel", name="live")),
            CompositionDestination.s3(storage_configuration=storage, encoder_configuration=encoder),
        ],
        layout=CompositionLayout.grid(featured_participant_attribute="featured"),
        stop_grace_period=cdk.Duration.minutes(3),
    )
    recordings = IvsRecordingReady(stack, "Recordings", buckets=[s3.Bucket.from_bucket_name(stack, "Bucket", "recordings")], tracker=tracker)
    recordings.on_recording_ready("Transcode", targets.SqsQueue(sqs.Queue(stack, "ToTranscode", enforce_ssl=True)))

    template = assertions.Template.from_stack(stack)
    # Start, stop, the tracker's 3-minute grace, and the recordings' machine.
    template.resource_count_is("AWS::StepFunctions::StateMachine", 4)
    assert compositions.start_state_machine is not None and recordings.state_machine is not None
    with pytest.raises(Exception, match="destinations"):
        IvsAutoComposition(stack, "TooMany", tracker=tracker, destinations=[])


def test_custom_profile_and_struct_with_optional_fields():
    canary = MonitoringProfile.custom(name="canary", based_on=MonitoringProfile.STAGING, publish_error_threshold=3)
    assert (canary.settings.publish_error_threshold, canary.settings.alarm_actions_enabled) == (3, True)

    detail = StageUpdateEventDetail(event_name="Participant Published", participant_id="p1", session_id="st-1")
    assert detail.user_id is None
    assert detail.event_name == "Participant Published"


def test_bad_input_raises_the_library_message():
    with pytest.raises(Exception) as error:
        IvsStageEventRule(new_stack(), "Rule", events=[])
    assert "`events` must name at least one IVS event, got []" in str(error.value)
