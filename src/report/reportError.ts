import { CodedError } from '../core/codedError.ts';

export type ReportErrorCode = 'report_assets_missing' | 'report_unwritable' | 'report_no_observations';

/** A report that cannot be written: its page files are missing, the output cannot be written, or
 * the log holds no observation at all. */
export class ReportError extends CodedError<ReportErrorCode> {
  override name = 'ReportError';
}
