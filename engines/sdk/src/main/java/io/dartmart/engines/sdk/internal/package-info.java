/**
 * The SDK's implementation: the HTTP client of the engine protocol, action runs, pull workers. Not API: nothing here
 * is meant to be used outside the SDK, and any of it may change at any time.
 */
package io.dartmart.engines.sdk.internal;
