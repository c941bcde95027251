/**
 * What the trigger worker tells people and systems when runs and actions end: e-mails ({@link
 * io.dartmart.triggers.notify.RunStartedMail}, {@link io.dartmart.triggers.notify.RunEndedMail}, {@link
 * io.dartmart.triggers.notify.ActionEndedMail} through {@link io.dartmart.triggers.notify.Mailer}) and the HTTP
 * callback of a run ({@link io.dartmart.triggers.notify.RunCallback}).
 *
 * <p>All of it happens after the worker's transaction has committed and is best effort: a mail server or a callback
 * receiver that is down is logged and never fails a run, an action or the message.
 */
package io.dartmart.triggers.notify;
