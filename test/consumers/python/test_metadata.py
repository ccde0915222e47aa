"""Package metadata is complete and says the same thing in every language."""
import json
import re
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = json.loads((ROOT / "package.json").read_text())
JSII = PACKAGE["jsii"]["targets"]
REPOSITORY = PACKAGE["repository"]["url"]
TOOLCHAINS = json.loads((ROOT / "toolchain/versions.json").read_text())["minimums"]


def test_npm_package_json_is_complete():
    assert PACKAGE["description"]
    assert PACKAGE["license"] == "Apache-2.0"
    assert REPOSITORY.startswith("https://github.com/cdk-ivs-realtime-events/")
    assert {"aws-cdk", "ivs", "eventbridge"} <= set(PACKAGE["keywords"])


def test_python_wheel_metadata():
    meta = metadata.metadata(JSII["python"]["distName"])
    assert meta["Summary"] == PACKAGE["description"]
    assert meta["License"] == PACKAGE["license"]
    assert meta["Home-page"] == REPOSITORY
    # The Python minimum the README states is the one the wheel enforces.
    assert meta["Requires-Python"] == f">={TOOLCHAINS['python']}"
    classifiers = meta.get_all("Classifier")
    for expected in ["Development Status :: 4 - Beta", "License :: OSI Approved", "Typing :: Typed",
                     "Programming Language :: Python :: 3 :: Only", "Intended Audience :: Developers"]:
        assert expected in classifiers


def test_java_pom_metadata():
    maven = JSII["java"]["maven"]
    pom_path = ROOT / "dist/java" / maven["groupId"].replace(".", "/") / maven["artifactId"] / PACKAGE["version"] \
        / f"{maven['artifactId']}-{PACKAGE['version']}.pom"
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    pom = ET.parse(pom_path).getroot()
    assert pom.findtext("m:description", namespaces=ns) == PACKAGE["description"]
    assert pom.findtext("m:licenses/m:license/m:name", namespaces=ns) == "Apache License 2.0"
    assert pom.findtext("m:scm/m:url", namespaces=ns) == REPOSITORY
    assert JSII["java"]["package"] == "io.github.cdkivsrealtimeevents"


def test_go_module_path():
    go_mod = (ROOT / "dist/go/cdkivsrealtimeevents/go.mod").read_text()
    module = re.search(r"^module (\S+)$", go_mod, re.M).group(1)
    assert module == f"{JSII['go']['moduleName']}/cdkivsrealtimeevents"
    # The generated module asks for no newer Go than the README's minimum.
    go = re.search(r"^go (\d+)\.(\d+)", go_mod, re.M).groups()
    assert tuple(map(int, go)) <= tuple(map(int, TOOLCHAINS["go"].split(".")))


def test_dotnet_coordinates_are_configured():
    assert JSII["dotnet"] == {"namespace": "CdkIvsRealtimeEvents", "packageId": "CdkIvsRealtimeEvents"}
