package org.vestige.plugin.profiles;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Small hand-made ISF documents for the cases the reference kernels do not cover. */
final class Synthetic {

    /** A GUID no table knows. */
    static final String UNKNOWN_GUID = "00112233445566778899AABBCCDDEEFF";

    private Synthetic() {
    }

    /**
     * @param guid  the PDB GUID, or null for a types-only document
     * @param lab   the NtBuildLab string stored as the symbol's constant data, or null
     * @param withPe whether metadata.windows.pe says build 22621
     */
    static byte[] isf(String guid, String lab, boolean withPe) {
        StringBuilder windows = new StringBuilder();
        if (guid != null) {
            windows.append("\"pdb\":{\"GUID\":\"").append(guid)
                    .append("\",\"age\":1,\"database\":\"ntkrnlmp.pdb\",\"machine_type\":34404}");
        }
        if (withPe) {
            windows.append(windows.isEmpty() ? "" : ",").append(
                    "\"pe\":{\"major\":10,\"minor\":0,\"revision\":0,\"build\":22621}");
        }
        String producer = guid == null ? ",\"producer\":{\"architecture\":\"x64\",\"types_only\":true}" : "";
        String labSymbol = lab == null ? "" : ",\"NtBuildLab\":{\"address\":8192,\"constant_data\":\""
                + Base64.getEncoder().encodeToString(lab.getBytes(StandardCharsets.US_ASCII)) + "\"}";
        String json = """
                {"metadata":{"format":"6.2.0","windows":{%s}%s},
                 "base_types":{"pointer":{"kind":"int","size":8,"signed":false,"endian":"little"},
                   "unsigned long":{"kind":"int","size":4,"signed":false,"endian":"little"},
                   "unsigned char":{"kind":"char","size":1,"signed":false,"endian":"little"}},
                 "user_types":{
                   "_EPROCESS":{"kind":"struct","size":64,"fields":{
                     "ActiveProcessLinks":{"offset":16,"type":{"kind":"struct","name":"_LIST_ENTRY"}},
                     "State":{"offset":32,"type":{"kind":"enum","name":"_STATE"}},
                     "Target":{"offset":40,"type":{"kind":"pointer","subtype":{"kind":"struct","name":"_TARGET"}}},
                     "Opaque":{"offset":48,"type":{"kind":"pointer","subtype":{"kind":"struct","name":"_INCOMPLETE"}}},
                     "Flag":{"offset":56,"type":{"kind":"bitfield","bit_position":3,"bit_length":2,
                       "type":{"kind":"base","name":"unsigned long"}}}}},
                   "_LIST_ENTRY":{"kind":"struct","size":16,"fields":{
                     "Flink":{"offset":0,"type":{"kind":"pointer","subtype":{"kind":"struct","name":"_LIST_ENTRY"}}},
                     "Blink":{"offset":8,"type":{"kind":"pointer","subtype":{"kind":"struct","name":"_LIST_ENTRY"}}}}},
                   "_TARGET":{"kind":"struct","size":4,"fields":{
                     "Value":{"offset":0,"type":{"kind":"base","name":"unsigned long"}}}},
                   "_UNRELATED":{"kind":"struct","size":1,"fields":{
                     "Byte":{"offset":0,"type":{"kind":"base","name":"unsigned char"}}}}},
                 "enums":{"_STATE":{"size":4,"base":"unsigned long","constants":{"Running":1,"Stopped":2}},
                   "_OTHER":{"size":4,"base":"unsigned long","constants":{"A":0}}},
                 "symbols":{"PsActiveProcessHead":{"address":4096},"SomethingElse":{"address":12288}%s}}
                """.formatted(windows, producer, labSymbol);
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
