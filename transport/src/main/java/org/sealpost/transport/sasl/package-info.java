/** SASL logins for submission listeners, from a file of salted PBKDF2 hashes. */
package org.sealpost.transport.sasl;
