import { validatePattern, validateWholeAtLeast } from '../private/validation';

/**
 * A participant attribute name as StartComposition takes it: up to 128 letters, digits, `-` and `_`
 * (GridConfiguration, PipConfiguration).
 * @see https://docs.aws.amazon.com/ivs/latest/RealTimeAPIReference/API_PipConfiguration.html
 */
const ATTRIBUTE_NAME = /^[a-zA-Z0-9_-]{0,128}$/;
const ATTRIBUTE_WHAT = 'a participant attribute name: up to 128 letters, digits, - and _';

/** How a participant's video fills its tile (`videoFillMode`). */
export class VideoFillMode {
  /** Stretched to the tile. */
  public static readonly FILL = new VideoFillMode('FILL');
  /** Cropped to cover the tile. */
  public static readonly COVER = new VideoFillMode('COVER');
  /** Letterboxed within the tile. */
  public static readonly CONTAIN = new VideoFillMode('CONTAIN');

  /** A mode IVS added after this release. */
  public static of(value: string): VideoFillMode {
    return new VideoFillMode(value);
  }

  /** @param value the API's value */
  private constructor(public readonly value: string) {}
}

/** The aspect ratio of the grid's tiles of participants who are not featured (`videoAspectRatio`). */
export class VideoAspectRatio {
  /** Chosen by IVS for the participants' videos. */
  public static readonly AUTO = new VideoAspectRatio('AUTO');
  /** 16:9. */
  public static readonly VIDEO = new VideoAspectRatio('VIDEO');
  /** 1:1. */
  public static readonly SQUARE = new VideoAspectRatio('SQUARE');
  /** 3:4. */
  public static readonly PORTRAIT = new VideoAspectRatio('PORTRAIT');

  /** A ratio IVS added after this release. */
  public static of(value: string): VideoAspectRatio {
    return new VideoAspectRatio(value);
  }

  /** @param value the API's value */
  private constructor(public readonly value: string) {}
}

/** The corner of the picture-in-picture window (`pipPosition`). */
export class PipPosition {
  /** Top left. */
  public static readonly TOP_LEFT = new PipPosition('TOP_LEFT');
  /** Top right. */
  public static readonly TOP_RIGHT = new PipPosition('TOP_RIGHT');
  /** Bottom left. */
  public static readonly BOTTOM_LEFT = new PipPosition('BOTTOM_LEFT');
  /** Bottom right. */
  public static readonly BOTTOM_RIGHT = new PipPosition('BOTTOM_RIGHT');

  /** A position IVS added after this release. */
  public static of(value: string): PipPosition {
    return new PipPosition(value);
  }

  /** @param value the API's value */
  private constructor(public readonly value: string) {}
}

/** What the picture-in-picture window does once every participant has left (`pipBehavior`). */
export class PipBehavior {
  /** Keeps its position and size. */
  public static readonly STATIC = new PipBehavior('STATIC');
  /** Expands to the whole composition. */
  public static readonly DYNAMIC = new PipBehavior('DYNAMIC');

  /** A behaviour IVS added after this release. */
  public static of(value: string): PipBehavior {
    return new PipBehavior(value);
  }

  /** @param value the API's value */
  private constructor(public readonly value: string) {}
}

/**
 * What grid and picture-in-picture layouts share (StartComposition's `GridConfiguration` and
 * `PipConfiguration`).
 */
export interface LayoutOptions {
  /**
   * The participant attribute that, set to `"true"`, features a participant (shown larger).
   *
   * @default - no participant is featured
   */
  readonly featuredParticipantAttribute?: string;

  /**
   * Pixels between the participants' tiles (0 or more).
   *
   * @default - IVS's default: 2 in a grid, 0 in picture-in-picture
   */
  readonly gridGap?: number;

  /**
   * Whether participants who stopped sending video are left out of the layout.
   *
   * @default false (IVS's default)
   */
  readonly omitStoppedVideo?: boolean;

  /**
   * The participant attribute holding a number that orders the participants' tiles.
   *
   * @default - the order participants joined in
   */
  readonly participantOrderAttribute?: string;

  /**
   * How each participant's video fills its tile.
   *
   * @default - IVS's default: COVER in the grid, CONTAIN for featured participants
   */
  readonly videoFillMode?: VideoFillMode;
}

/**
 * Options of a grid layout (StartComposition's `GridConfiguration`).
 */
export interface GridLayoutOptions extends LayoutOptions {
  /**
   * The aspect ratio of the tiles of participants who are not featured.
   *
   * @default VideoAspectRatio.VIDEO (IVS's default)
   */
  readonly videoAspectRatio?: VideoAspectRatio;
}

/**
 * Options of a picture-in-picture layout (StartComposition's `PipConfiguration`).
 */
export interface PipLayoutOptions extends LayoutOptions {
  /**
   * The corner of the small window.
   *
   * @default - IVS's default
   */
  readonly pipPosition?: PipPosition;

  /**
   * What the small window does once every participant has left.
   *
   * @default PipBehavior.STATIC (IVS's default)
   */
  readonly pipBehavior?: PipBehavior;

  /**
   * The participant attribute that, set to `"true"`, puts a participant in the small window.
   *
   * @default - the window shows no participant chosen by attribute
   */
  readonly pipParticipantAttribute?: string;

  /**
   * Width of the small window, in pixels (1 or more).
   *
   * @default - IVS's default
   */
  readonly pipWidth?: number;

  /**
   * Height of the small window, in pixels (1 or more).
   *
   * @default - IVS's default
   */
  readonly pipHeight?: number;

  /**
   * Pixels between the small window and the edges of the video (0 or more).
   *
   * @default 0 (IVS's default)
   */
  readonly pipOffset?: number;
}

/**
 * How a composition arranges the stage's participants (StartComposition, `layout`).
 */
export class CompositionLayout {
  /** Every participant in a grid (IVS's default layout). */
  public static grid(options: GridLayoutOptions = {}): CompositionLayout {
    return new CompositionLayout('grid', { Grid: { ...commonOf(options), ...defined({ VideoAspectRatio: options.videoAspectRatio?.value }) } });
  }

  /** One participant over the whole video, another in a small window. */
  public static pip(options: PipLayoutOptions = {}): CompositionLayout {
    validatePattern('pipParticipantAttribute', options.pipParticipantAttribute, ATTRIBUTE_NAME, ATTRIBUTE_WHAT);
    validateWholeAtLeast('pipWidth', options.pipWidth, 1);
    validateWholeAtLeast('pipHeight', options.pipHeight, 1);
    validateWholeAtLeast('pipOffset', options.pipOffset, 0);
    return new CompositionLayout('pip', {
      Pip: {
        ...commonOf(options),
        ...defined({
          PipPosition: options.pipPosition?.value,
          PipBehavior: options.pipBehavior?.value,
          PipParticipantAttribute: options.pipParticipantAttribute,
          PipWidth: options.pipWidth,
          PipHeight: options.pipHeight,
          PipOffset: options.pipOffset,
        }),
      },
    });
  }

  private constructor(
    /** `grid` or `pip`. */
    public readonly kind: string,
    private readonly configuration: Record<string, unknown>,
  ) {}

  /**
   * The layout as StartComposition takes it in Step Functions (PascalCase).
   * @internal
   */
  public _render(): Record<string, unknown> {
    return this.configuration;
  }
}

function commonOf(options: LayoutOptions): Record<string, unknown> {
  validatePattern('featuredParticipantAttribute', options.featuredParticipantAttribute, ATTRIBUTE_NAME, ATTRIBUTE_WHAT);
  validatePattern('participantOrderAttribute', options.participantOrderAttribute, ATTRIBUTE_NAME, ATTRIBUTE_WHAT);
  validateWholeAtLeast('gridGap', options.gridGap, 0);
  return defined({
    FeaturedParticipantAttribute: options.featuredParticipantAttribute,
    GridGap: options.gridGap,
    OmitStoppedVideo: options.omitStoppedVideo,
    ParticipantOrderAttribute: options.participantOrderAttribute,
    VideoFillMode: options.videoFillMode?.value,
  });
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
