package org.vestige.plugin.windows.tests;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Damaged tokens through getsids and privileges on a synthesized Windows 10 image (see
 * {@link TokenAnalysesTest#damagedTokensAreNamedAndEveryOtherProcessIsListed}); one build is enough, the damage
 * is the same on every layout.
 */
public class TokenDamageAnalysesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void damagedTokensAreNamedAndEveryOtherProcessIsListed() throws Exception {
        new TokenAnalysesTest(19041, "windows.x64.19041.CA8E2F01B822EDE6357898BFBF862997-1")
                .damagedTokensAreNamedAndEveryOtherProcessIsListed(tmp);
    }
}
