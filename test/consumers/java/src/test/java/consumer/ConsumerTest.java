package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.cdkivsrealtimeevents.CompositionDestination;
import io.github.cdkivsrealtimeevents.CompositionFailureAlarm;
import io.github.cdkivsrealtimeevents.CompositionLayout;
import io.github.cdkivsrealtimeevents.GridLayoutOptions;
import io.github.cdkivsrealtimeevents.IvsAutoComposition;
import io.github.cdkivsrealtimeevents.IvsRecordingReady;
import io.github.cdkivsrealtimeevents.S3CompositionDestinationOptions;
import io.github.cdkivsrealtimeevents.CustomMonitoringProfileProps;
import io.github.cdkivsrealtimeevents.IvsDetailType;
import io.github.cdkivsrealtimeevents.IvsEvent;
import io.github.cdkivsrealtimeevents.IvsRealTimeMonitoring;
import io.github.cdkivsrealtimeevents.IvsStageEventRule;
import io.github.cdkivsrealtimeevents.IvsStageStateTracker;
import io.github.cdkivsrealtimeevents.MonitoringProfile;
import io.github.cdkivsrealtimeevents.RecordingCompleteNotifier;
import io.github.cdkivsrealtimeevents.StageUpdateEventDetail;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.ivs.CfnChannel;
import software.amazon.awscdk.services.ivs.CfnEncoderConfiguration;
import software.amazon.awscdk.services.ivs.CfnStorageConfiguration;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sns.Topic;

/** The library from Java: what a Java user writes, checked on the synthesized template. */
class ConsumerTest {
    private static final String STAGE = "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij";

    private static Stack newStack() {
        return new Stack(new App(), "Consumer", StackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .build());
    }

    @Test
    void ruleWithCatalogAndFutureEvents() {
        Stack stack = newStack();
        IvsEvent replication = IvsEvent.of(IvsDetailType.STAGE_UPDATE, "Participant Replication Start");

        IvsStageEventRule rule = IvsStageEventRule.Builder.create(stack, "Rule")
                .events(List.of(IvsEvent.PARTICIPANT_PUBLISHED, replication))
                .stageArns(List.of(STAGE))
                .build();

        assertEquals(List.of("Participant Published", "Participant Replication Start"),
                rule.getEvents().stream().map(IvsEvent::getEventName).collect(Collectors.toList()));
        Template.fromStack(stack).hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Map.of(
                        "source", List.of("aws.ivs"),
                        "detail-type", List.of("IVS Stage Update"),
                        "resources", List.of(STAGE),
                        "detail", Map.of("event_name", List.of("Participant Published", "Participant Replication Start")))));
    }

    @Test
    void alarmNotifierAndDevelopmentMonitoring() {
        Stack stack = newStack();
        Topic oncall = Topic.Builder.create(stack, "Oncall").enforceSsl(true).build();

        CompositionFailureAlarm.Builder.create(stack, "Composition").alarmTopic(oncall).threshold(2).build();
        RecordingCompleteNotifier notifier = new RecordingCompleteNotifier(stack, "Recordings");
        IvsRealTimeMonitoring monitoring = IvsRealTimeMonitoring.Builder.create(stack, "Monitoring")
                .environmentName("dev")
                .profile(MonitoringProfile.DEVELOPMENT)
                .criticalTopics(List.of(oncall))
                .build();

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("Threshold", 2, "MetricName", "TriggeredRules"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "AlarmName", "ivs-realtime-dev-composition-failures", "Threshold", 5, "ActionsEnabled", false));
        template.hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of("DashboardName", "ivs-realtime-dev"));
        assertEquals(4, notifier.getRules().size());
        assertEquals("development", monitoring.getProfile().getName());
        assertEquals(RetentionDays.ONE_WEEK, monitoring.getProfile().getSettings().getLogRetention());
    }

    /** Synthesized into TRACKER_OUTDIR, where run.sh compares the function's asset with the bundle. */
    @Test
    void stateTrackerCarriesItsBundledHandler() {
        App app = new App(AppProps.builder().outdir(System.getenv("TRACKER_OUTDIR")).build());
        Stack stack = new Stack(app, "Consumer", StackProps.builder()
                .env(Environment.builder().account("123456789012").region("us-east-1").build())
                .build());
        IvsStageStateTracker.Builder.create(stack, "Tracker").stageArns(List.of(STAGE)).build();

        Template template = Template.fromStack(stack);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of("Runtime", "nodejs24.x", "Handler", "index.handler"));
        template.hasResourceProperties("AWS::Lambda::EventSourceMapping", Map.of("FunctionResponseTypes", List.of("ReportBatchItemFailures")));
        app.synth();
    }

    @Test
    void compositionsAndRecordingsReady() {
        Stack stack = newStack();
        IvsStageStateTracker tracker = IvsStageStateTracker.Builder.create(stack, "Tracker").stageArns(List.of(STAGE)).build();
        CfnStorageConfiguration storage = CfnStorageConfiguration.Builder.create(stack, "Storage")
                .s3(CfnStorageConfiguration.S3StorageConfigurationProperty.builder().bucketName("recordings").build())
                .build();
        CfnEncoderConfiguration encoder = CfnEncoderConfiguration.Builder.create(stack, "Encoder").name("hd").build();
        IvsAutoComposition compositions = IvsAutoComposition.Builder.create(stack, "Compositions")
                .tracker(tracker)
                .destinations(List.of(
                        CompositionDestination.channel(CfnChannel.Builder.create(stack, "Channel").name("live").build()),
                        CompositionDestination.s3(S3CompositionDestinationOptions.builder()
                                .storageConfiguration(storage).encoderConfiguration(encoder).build())))
                .layout(CompositionLayout.grid(GridLayoutOptions.builder().featuredParticipantAttribute("featured").build()))
                .stopGracePeriod(Duration.minutes(3))
                .build();
        IvsRecordingReady recordings = IvsRecordingReady.Builder.create(stack, "Recordings")
                .buckets(List.of(Bucket.fromBucketName(stack, "Bucket", "recordings")))
                .tracker(tracker)
                .build();
        recordings.onRecordingReady("Transcode", new SqsQueue(Queue.Builder.create(stack, "ToTranscode").enforceSsl(true).build()));

        // Start, stop, the tracker's 3-minute grace, and the recordings' machine.
        Template.fromStack(stack).resourceCountIs("AWS::StepFunctions::StateMachine", 4);
        assertTrue(compositions.getStartStateMachine() != null && recordings.getStateMachine() != null);
        RuntimeException error = assertThrows(RuntimeException.class, () -> IvsAutoComposition.Builder.create(stack, "None")
                .tracker(tracker).destinations(List.of()).build());
        assertTrue(error.getMessage().contains("destinations"), error.getMessage());
    }

    @Test
    void customProfileAndStructWithOptionalFields() {
        MonitoringProfile canary = MonitoringProfile.custom(CustomMonitoringProfileProps.builder()
                .name("canary")
                .basedOn(MonitoringProfile.STAGING)
                .publishErrorThreshold(3)
                .build());
        assertEquals(3, canary.getSettings().getPublishErrorThreshold().intValue());
        assertTrue(canary.getSettings().getAlarmActionsEnabled());

        StageUpdateEventDetail detail = StageUpdateEventDetail.builder()
                .eventName("Participant Published").participantId("p1").sessionId("st-1").build();
        assertNull(detail.getUserId());
        assertEquals("Participant Published", detail.getEventName());
    }

    @Test
    void badInputRaisesTheLibraryMessage() {
        RuntimeException error = assertThrows(RuntimeException.class, () ->
                IvsStageEventRule.Builder.create(newStack(), "Rule").events(List.of()).build());
        assertTrue(error.getMessage().contains("`events` must name at least one IVS event, got []"), error.getMessage());
    }
}
