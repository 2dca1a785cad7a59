/**
 * The configuration file: {@link org.sealpost.transport.config.Config#load} reads it and says
 * where any error is (file, line, key, expected form). docs/configuration.md lists every key.
 */
package org.sealpost.transport.config;
