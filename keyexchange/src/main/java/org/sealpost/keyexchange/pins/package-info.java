/**
 * Key pinning between mail servers (XKEYS, docs/xkeys.md): the signed key set a server
 * advertises by hash in EHLO. {@link org.sealpost.keyexchange.pins.KeySet} is its canonical form.
 */
package org.sealpost.keyexchange.pins;
