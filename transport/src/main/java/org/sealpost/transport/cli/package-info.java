/** The {@code sealpost} command: run, demo, passwd, dns lookup. */
package org.sealpost.transport.cli;
