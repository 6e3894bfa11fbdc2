package org.vestige.fleet;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.util.List;

import org.junit.Test;

public class ResultRowsTest {

    @Test
    public void childrenAreFlattenedAndMissingValuesGetTheirReason() throws IOException {
        ResultRows rows = new ResultRows("pc-1", "ab12");
        rows.add("{\"PID\":4,\"Name\":\"System\",\"Base\":{\"unavailable\":\"paged out\"},\"__children\":"
                + "[{\"PID\":8,\"Name\":\"smss.exe\",\"Base\":\"0x7ff6\"}]}");
        rows.add("{\"PID\":12,\"Name\":null,\"Base\":\"0x10\"}");
        assertEquals(List.of(
                "{\"case_id\":\"pc-1\",\"image_sha256\":\"ab12\",\"row\":0,\"parent_row\":null,\"PID\":4,\"Name\":\"System\","
                        + "\"Base\":null,\"Base_unavailable\":\"paged out\"}",
                "{\"case_id\":\"pc-1\",\"image_sha256\":\"ab12\",\"row\":1,\"parent_row\":0,\"PID\":8,\"Name\":\"smss.exe\","
                        + "\"Base\":\"0x7ff6\"}",
                "{\"case_id\":\"pc-1\",\"image_sha256\":\"ab12\",\"row\":2,\"parent_row\":null,\"PID\":12,\"Name\":null,"
                        + "\"Base\":\"0x10\"}"), rows.rows());
        assertEquals(List.of("PID", "Name", "Base", "Base_unavailable"), rows.columns());
    }
}
