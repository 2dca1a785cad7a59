/**
 * The configuration file: {@link org.sealpost.transport.config.Config#load} reads it and says
 * where every error is (file, line, key, expected form), all in one pass;
 * {@link org.sealpost.transport.config.Config#read} keeps the errors beside the settings, and
 * {@link org.sealpost.transport.config.Config#defaults} lists every key with its default.
 * docs/configuration.md lists every key.
 */
package org.sealpost.transport.config;
