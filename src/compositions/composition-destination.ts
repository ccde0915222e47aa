import { Duration, Token } from 'aws-cdk-lib';
import * as ivs from 'aws-cdk-lib/aws-ivs';
import { THUMBNAIL_INTERVAL_SECONDS } from '../private/aws-facts';
import { validateSecondsRange } from '../private/validation';

/**
 * Thumbnails of a composition recorded to S3 (StartComposition's
 * `CompositionThumbnailConfiguration`).
 */
export interface CompositionThumbnails {
  /**
   * How often a thumbnail is taken: whole seconds from 1 second to a day.
   *
   * @default Duration.seconds(60) (IVS's default)
   */
  readonly interval?: Duration;

  /**
   * Keep every thumbnail, under `media/thumbnails/<width>x<height>/` of the recording.
   *
   * @default true
   */
  readonly sequential?: boolean;

  /**
   * Keep the latest thumbnail, overwritten at each interval, as
   * `media/latest_thumbnail/<width>x<height>/thumb.jpg` of the recording.
   *
   * @default false
   */
  readonly latest?: boolean;
}

/**
 * A composition recorded to S3: the storage configuration (its bucket) and how it is encoded.
 */
export interface S3CompositionDestinationOptions {
  /** Where IVS records: its bucket is kept, with the recording prefix IVS answers, on the destination's item of the tracker's table. */
  readonly storageConfiguration: ivs.CfnStorageConfiguration;

  /** How IVS encodes the recording (StartComposition takes exactly one per S3 destination). */
  readonly encoderConfiguration: ivs.CfnEncoderConfiguration;

  /**
   * Thumbnails of the recording.
   *
   * @default - IVS's default: one thumbnail every 60 seconds, kept in sequence
   */
  readonly thumbnails?: CompositionThumbnails;
}

/**
 * A composition broadcast to an IVS channel.
 */
export interface ChannelCompositionDestinationOptions {
  /**
   * How IVS encodes the broadcast.
   *
   * @default - IVS's default encoding (1280x720, 2,500 kbps, 30 fps)
   */
  readonly encoderConfiguration?: ivs.CfnEncoderConfiguration;
}

/**
 * Where a composition goes: an IVS channel, or an S3 recording. A composition has one of each
 * at most (StartComposition, `destinations`).
 */
export class CompositionDestination {
  /** Broadcast the composition to an IVS (low-latency) channel. */
  public static channel(channel: ivs.CfnChannel, options: ChannelCompositionDestinationOptions = {}): CompositionDestination {
    const encoder = options.encoderConfiguration;
    return new CompositionDestination('channel', {
      Channel: { ChannelArn: channel.attrArn, ...(encoder ? { EncoderConfigurationArn: encoder.attrArn } : {}) },
    }, [channel.attrArn, ...(encoder ? [encoder.attrArn] : [])]);
  }

  /** Record the composition to S3, under a prefix IVS chooses (kept on the tracker's destination item). */
  public static s3(options: S3CompositionDestinationOptions): CompositionDestination {
    const thumbnails = options.thumbnails;
    validateSecondsRange('thumbnails.interval', thumbnails?.interval, THUMBNAIL_INTERVAL_SECONDS.min, THUMBNAIL_INTERVAL_SECONDS.max);
    const storage = [...(thumbnails?.sequential ?? true ? ['SEQUENTIAL'] : []), ...(thumbnails?.latest ? ['LATEST'] : [])];
    if (thumbnails && storage.length === 0) {
      throw new Error('`thumbnails` must keep `sequential` or `latest` thumbnails (or both), got neither; leave `thumbnails` out for IVS\'s default');
    }
    const s3Config = options.storageConfiguration.s3;
    const bucketName = Token.isUnresolved(s3Config) ? undefined : (s3Config as ivs.CfnStorageConfiguration.S3StorageConfigurationProperty).bucketName;
    if (bucketName === undefined) {
      throw new Error('`storageConfiguration` must name its bucket in `s3.bucketName` at synth time, got a token for `s3`: '
        + 'the bucket is kept next to the recording prefix on the tracker\'s destination item');
    }
    return new CompositionDestination('s3', {
      S3: {
        StorageConfigurationArn: options.storageConfiguration.attrArn,
        EncoderConfigurationArns: [options.encoderConfiguration.attrArn],
        ...(thumbnails ? {
          ThumbnailConfigurations: [{
            Storage: storage,
            ...(thumbnails.interval ? { TargetIntervalSeconds: thumbnails.interval.toSeconds() } : {}),
          }],
        } : {}),
      },
    }, [options.storageConfiguration.attrArn, options.encoderConfiguration.attrArn], bucketName);
  }

  private constructor(
    /** `channel` or `s3`: a composition has at most one destination of each kind. */
    public readonly kind: string,
    private readonly configuration: Record<string, unknown>,
    private readonly resourceArns: string[],
    /** The bucket an S3 destination records to (its storage configuration's); undefined for a channel. */
    public readonly bucketName?: string,
  ) {}

  /**
   * The destination as StartComposition takes it in Step Functions (PascalCase).
   * @internal
   */
  public _render(): Record<string, unknown> {
    return this.configuration;
  }

  /**
   * Whether this destination names an encoder configuration.
   * @internal
   */
  public _namesEncoder(): boolean {
    return this.kind === 's3' || this.resourceArns.length > 1;
  }

  /**
   * The ARNs StartComposition needs permission on for this destination.
   * @internal
   */
  public _arns(): string[] {
    return this.resourceArns;
  }
}
